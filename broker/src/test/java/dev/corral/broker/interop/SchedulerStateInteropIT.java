package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobScheduler;
import dev.corral.broker.JobSchedulers;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same job scheduler upserts and removals done by the real bullmq 6.7.0 and by Corral, at the same fixed
 * time (Node's Date.now and Corral's clock both set with {@code fakeNow}), leave equal stored state: the
 * {@code repeat} zset, the {@code repeat:<id>} hashes, the iterations (ids, hashes, opts), delayed scores and
 * events. Each library also reads the other's schedulers with getJobSchedulers / getJobScheduler.
 */
class SchedulerStateInteropIT {

  /** 2026-11-21T10:36:28.360Z, Node's Date.now and Corral's clock in every case. */
  private static final long T = 1_795_314_988_360L;
  private static final MutableClock CLOCK = new MutableClock(T);
  private static BrokerClient client;
  private static NodeBullmq node;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
    client = RedisTestSupport.newClient(CLOCK);
  }

  @AfterAll
  static void tearDown() {
    client.close();
  }

  /** Runs the steps in Node and in Corral; returns the two queue names (Node's first). */
  private List<String> assertSameState(String hint, String stepsJson) {
    JsonNode steps = InteropSteps.parse(stepsJson);
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");
    JsonNode nodeResults = node.runSteps(nodeQueue, steps);
    JsonNode javaResults = InteropSteps.runInCorral(client.queue(javaQueue), steps);
    assertEquals(nodeResults, javaResults, hint + ": returned ids");
    ObjectNode expected = QueueSnapshot.of(client, QueueKeys.of(nodeQueue));
    ObjectNode actual = QueueSnapshot.of(client, QueueKeys.of(javaQueue));
    assertEquals(QueueSnapshot.canonical(expected), QueueSnapshot.canonical(actual),
        hint + ": stored state (Node first, Corral second)");
    return List.of(nodeQueue, javaQueue);
  }

  private static String at(long ms) {
    return "{\"op\":\"fakeNow\",\"ms\":" + ms + "}";
  }

  @Test
  void everySchedulerWithTemplate() {
    List<String> queues = assertSameState("every", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"tick","repeat":{"every":1000,"limit":3},
          "template":{"name":"tock","data":{"a":1,"s":"x/y"},"opts":{"attempts":2,
            "backoff":{"type":"fixed","delay":500},"removeOnComplete":10,"priority":3}}}]""");
    assertReadsAgree(queues);
  }

  @Test
  void everyWithOffsetAndStartDateThenReplacedByANewInterval() {
    List<String> queues = assertSameState("every-offset", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"s","repeat":{"every":2000,"offset":700,"startDate":1795314999000},
          "template":{}}""" + "," + at(T + 1000) + """
        ,{"op":"upsertJobScheduler","id":"s","repeat":{"every":3000,"startDate":1795314999000},
          "template":{"data":{"v":2}}}""" + "," + at(T + 1500) + """
        ,{"op":"upsertJobScheduler","id":"s","repeat":{"every":3000,"startDate":1795314999000},
          "template":{"data":{"v":3}}}]""");
    assertReadsAgree(queues);
  }

  @Test
  void everyWithOffsetNoStartDateAndASecondScheduler() {
    List<String> queues = assertSameState("every-two", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"a","repeat":{"every":5000,"offset":1200}}
        ,{"op":"upsertJobScheduler","id":"b","repeat":{"every":60000,"endDate":1895314988360},
          "template":{"name":"b-job"}}]""");
    assertReadsAgree(queues);
  }

  @Test
  void aWaitingIterationIsReplacedButNotWhilePaused() {
    assertSameState("paused", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"w","repeat":{"every":1000},"template":{"data":{"n":1}}}
        ,{"op":"upsertJobScheduler","id":"w","repeat":{"every":1000},"template":{"data":{"n":2}}}
        ,{"op":"pause"}
        ,{"op":"upsertJobScheduler","id":"w","repeat":{"every":1000},"template":{"data":{"n":3}}}]""");
  }

  @Test
  void removeDeletesTheDelayedIterationOnly() {
    assertSameState("remove", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"d","repeat":{"every":1000,"startDate":1795315000000}}
        ,{"op":"upsertJobScheduler","id":"now","repeat":{"every":1000}}
        ,{"op":"removeJobScheduler","id":"d"}
        ,{"op":"removeJobScheduler","id":"now"}
        ,{"op":"removeJobScheduler","id":"missing"}]""");
  }

  @Test
  void patternSchedulers() {
    List<String> queues = assertSameState("pattern", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"p5","repeat":{"pattern":"*/5 * * * * *","tz":"Europe/Berlin","limit":5,
          "endDate":1895314988360},"template":{"name":"cr","data":{}}}
        ,{"op":"upsertJobScheduler","id":"daily","repeat":{"pattern":"30 2 * * mon-fri","tz":"America/New_York"}}
        ,{"op":"upsertJobScheduler","id":"start","repeat":{"pattern":"0 0 L * *","startDate":1800000000000}}
        ,{"op":"upsertJobScheduler","id":"yearly","repeat":{"pattern":"@yearly","tz":"Asia/Kolkata"}}""" + ","
        + at(T + 2000) + """
        ,{"op":"upsertJobScheduler","id":"p5","repeat":{"pattern":"*/10 * * * * *","tz":"Europe/Berlin"}}]""");
    assertReadsAgree(queues);
  }

  @Test
  void aPatternSchedulerWithImmediatelyStartsItsFirstIterationNow() {
    // bullmq takes new Date() for the first iteration (the harness pins it with Date.now); later ones follow the
    // pattern, and immediately is not stored
    List<String> queues = assertSameState("immediately", "[" + at(T) + """
        ,{"op":"upsertJobScheduler","id":"now","repeat":{"pattern":"0 */5 * * * *","immediately":true},
          "template":{"name":"first","data":{"k":1}}}
        ,{"op":"upsertJobScheduler","id":"tz","repeat":{"pattern":"0 0 9 * * *","tz":"Asia/Tokyo","immediately":true,
          "limit":2}}""" + "," + at(T + 1500) + """
        ,{"op":"upsertJobScheduler","id":"now","repeat":{"pattern":"0 */5 * * * *","immediately":true},
          "template":{"name":"first","data":{"k":2}}}]""");
    assertReadsAgree(queues);
  }

  /** Node reads Corral's schedulers as its own, and Corral reads Node's as its own. */
  private void assertReadsAgree(List<String> queues) {
    String nodeQueue = queues.get(0);
    String javaQueue = queues.get(1);
    for (String asc : List.of("true", "false")) {
      assertEquals(node.run("getJobSchedulers", nodeQueue, "0", "-1", asc).get("schedulers"),
          node.run("getJobSchedulers", javaQueue, "0", "-1", asc).get("schedulers"), "Node reading both, asc " + asc);
    }
    JobSchedulers fromNode = JobSchedulers.of(client, QueueKeys.of(nodeQueue));
    JobSchedulers fromJava = client.queue(javaQueue).schedulers();
    assertEquals(fromNode.getJobSchedulers(0, -1, true), fromJava.getJobSchedulers(0, -1, true));
    assertEquals(fromNode.getJobSchedulersCount(), fromJava.getJobSchedulersCount());
    JsonNode nodeView = node.run("getJobSchedulers", javaQueue, "0", "-1", "true").get("schedulers");
    List<JobScheduler> javaView = fromJava.getJobSchedulers(0, -1, true);
    assertEquals(nodeView.size(), javaView.size());
    for (int i = 0; i < javaView.size(); i++) {
      assertEquals(QueueSnapshot.canonical(nodeView.get(i)), QueueSnapshot.canonical(asBullmq(javaView.get(i))),
          "Corral's reading in bullmq's shape");
      JsonNode one = node.run("getJobScheduler", javaQueue, javaView.get(i).key()).get("scheduler");
      assertEquals(nodeView.get(i), one);
      assertEquals(javaView.get(i), fromJava.getJobScheduler(javaView.get(i).key()).orElseThrow());
    }
    assertEquals(node.run("getJobSchedulersCount", javaQueue).get("count").asLong(), fromJava.getJobSchedulersCount());
    assertTrue(javaView.size() > 0);
  }

  /** A Corral JobScheduler as bullmq's getJobSchedulers prints it (absent fields left out). */
  private static JsonNode asBullmq(JobScheduler s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("key", s.key());
    o.put("name", s.name());
    o.put("next", s.next());
    putIf(o, "iterationCount", s.iterationCount());
    putIf(o, "limit", s.limit());
    putIf(o, "startDate", s.startDate());
    putIf(o, "endDate", s.endDate());
    if (s.tz() != null) {
      o.put("tz", s.tz());
    }
    if (s.pattern() != null) {
      o.put("pattern", s.pattern());
    }
    putIf(o, "every", s.every());
    putIf(o, "offset", s.offset()); // bullmq keeps "0": a non-empty string is truthy
    if (s.templateData() != null || s.templateOpts() != null) {
      ObjectNode t = o.putObject("template");
      if (s.templateData() != null) {
        t.set("data", s.templateData());
      }
      if (s.templateOpts() != null) {
        t.set("opts", bullmqOpts(s.templateOpts()));
      }
    }
    return o;
  }

  private static JsonNode bullmqOpts(JsonNode compact) {
    ObjectNode out = ((ObjectNode) compact).deepCopy();
    if (out.has("kl")) {
      out.set("keepLogs", out.remove("kl"));
    }
    return out;
  }

  private static void putIf(ObjectNode o, String field, Long value) {
    if (value != null) {
      o.put(field, value);
    }
  }
}
