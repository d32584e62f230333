package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Corral;
import dev.corral.broker.Queue;
import dev.corral.broker.support.Json;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same adds done by the real bullmq 6.7.0 and by Corral, each in a fresh queue, leave the same keys, job
 * hashes, list and zset layouts and event sequences ({@link QueueSnapshot} says what is normalised).
 */
class ProducerStateInteropIT {

  private static final long TS = 1_795_314_988_360L;
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
  }

  private void assertSameState(String hint, String stepsJson) {
    JsonNode steps = InteropSteps.parse(stepsJson);
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");

    JsonNode nodeIds = node.runSteps(nodeQueue, steps);
    JsonNode javaIds = InteropSteps.runInCorral(client.queue(javaQueue), steps);

    assertEquals(nodeIds, javaIds, hint + ": returned ids");
    ObjectNode expected = QueueSnapshot.of(client, QueueKeys.of(nodeQueue));
    ObjectNode actual = QueueSnapshot.of(client, QueueKeys.of(javaQueue));
    assertTrue(expected.has("events") && expected.has("meta") && expected.has("id"),
        hint + ": the Node queue should have stored something: " + expected);
    assertEquals(QueueSnapshot.canonical(expected), QueueSnapshot.canonical(actual), hint + ": stored state (Node first, Corral second)");
    RedisProbe probe = new RedisProbe(client);
    assertEquals("bullmq:6.7.0", probe.hash(QueueKeys.of(nodeQueue).meta()).get("version"));
    assertEquals(Corral.LIBRARY, probe.hash(QueueKeys.of(javaQueue).meta()).get("library"));
  }

  @Test
  void aStandardJob() {
    assertSameState("std", """
        [{"op":"add","name":"email","data":{"to":"a@b.c","n":1}}]""");
  }

  @Test
  void customIdsAndADuplicate() {
    assertSameState("ids", """
        [{"op":"add","name":"a","data":{"x":1}},
         {"op":"add","name":"custom","data":{"x":2},"opts":{"jobId":"order-77"}},
         {"op":"add","name":"custom","data":{"x":3},"opts":{"jobId":"order-77"}},
         {"op":"add","name":"b","data":{"x":4}}]""");
  }

  @Test
  void delayedJobsWithAFixedTimestampGetTheSameScoresMarkerAndDueTimes() {
    assertSameState("delayed-ts", """
        [{"op":"add","name":"later","data":{"n":1},"opts":{"delay":3000,"timestamp":%d}},
         {"op":"add","name":"later","data":{"n":2},"opts":{"delay":3000,"timestamp":%d}},
         {"op":"add","name":"later","data":{"n":3},"opts":{"delay":1500,"timestamp":%d}}]"""
        .formatted(TS, TS, TS));
  }

  @Test
  void delayedJobsTimestampedNow() {
    assertSameState("delayed-now", """
        [{"op":"add","name":"later","data":{"n":1},"opts":{"delay":60000}},
         {"op":"add","name":"sooner","data":{"n":2},"opts":{"delay":30000,"priority":4}},
         {"op":"add","name":"now","data":{"n":3}}]""");
  }

  @Test
  void prioritizedJobsMixedWithPlainOnes() {
    assertSameState("prio", """
        [{"op":"add","name":"p5a","data":{"n":1},"opts":{"priority":5}},
         {"op":"add","name":"p1","data":{"n":2},"opts":{"priority":1}},
         {"op":"add","name":"p5b","data":{"n":3},"opts":{"priority":5}},
         {"op":"add","name":"plain","data":{"n":4}},
         {"op":"add","name":"p3","data":{"n":5},"opts":{"priority":3}},
         {"op":"add","name":"plain2","data":{"n":6}}]""");
  }

  @Test
  void lifoJobsGoToTheConsumingEnd() {
    assertSameState("lifo", """
        [{"op":"add","name":"a","data":{}},
         {"op":"add","name":"lifo","data":{"x":4},"opts":{"lifo":true}},
         {"op":"add","name":"b"}]""");
  }

  @Test
  void attemptsWithBackoff() {
    assertSameState("backoff", """
        [{"op":"add","name":"exp","data":{},"opts":{"attempts":3,"backoff":{"type":"exponential","delay":1000}}},
         {"op":"add","name":"fixed","data":{},"opts":{"attempts":2,"backoff":{"type":"fixed","delay":500}}},
         {"op":"add","name":"bare","data":{},"opts":{"attempts":2,"backoff":250}},
         {"op":"add","name":"jitter","data":{},
          "opts":{"attempts":4,"backoff":{"type":"exponential","delay":100,"jitter":0.5}}}]""");
  }

  @Test
  void keepJobsOptions() {
    assertSameState("keep", """
        [{"op":"add","name":"count","data":{},"opts":{"removeOnComplete":10,"removeOnFail":{"age":3600,"count":100}}},
         {"op":"add","name":"bools","data":{},"opts":{"removeOnComplete":true,"removeOnFail":false}},
         {"op":"add","name":"obj","data":{},"opts":{"removeOnComplete":{"count":5},"removeOnFail":{"age":60}}}]""");
  }

  @Test
  void keepLogsAndStackTraceLimit() {
    assertSameState("kl", """
        [{"op":"add","name":"b2","data":{"i":2},
          "opts":{"jobId":"bulk-2","attempts":3,"backoff":{"type":"fixed","delay":1000},"removeOnComplete":10,
                  "removeOnFail":{"age":3600,"count":100},"keepLogs":5,"stackTraceLimit":3}}]""");
  }

  @Test
  void simpleDeduplication() {
    assertSameState("dedup", """
        [{"op":"add","name":"d","data":{"v":1},"opts":{"deduplication":{"id":"user-42"}}},
         {"op":"add","name":"d","data":{"v":2},"opts":{"deduplication":{"id":"user-42"}}},
         {"op":"add","name":"other","data":{"v":3}}]""");
  }

  @Test
  void throttleAndDebounceDeduplication() {
    assertSameState("dedup-ttl", """
        [{"op":"add","name":"t","data":{"v":1},"opts":{"deduplication":{"id":"ttl-1","ttl":60000}}},
         {"op":"add","name":"t","data":{"v":2},"opts":{"deduplication":{"id":"ttl-1","ttl":60000}}},
         {"op":"add","name":"d","data":{"v":3},
          "opts":{"delay":5000,"deduplication":{"id":"deb-1","ttl":5000,"extend":true,"replace":true}}},
         {"op":"add","name":"d","data":{"v":4},
          "opts":{"delay":5000,"deduplication":{"id":"deb-1","ttl":5000,"extend":true,"replace":true}}}]""");
  }

  @Test
  void addsToAPausedQueueThenResume() {
    assertSameState("paused", """
        [{"op":"pause"},
         {"op":"add","name":"std","data":{"n":1}},
         {"op":"add","name":"prio","data":{"n":2},"opts":{"priority":2}},
         {"op":"add","name":"del","data":{"n":3},"opts":{"delay":60000}},
         {"op":"resume"}]""");
  }

  @Test
  void progressOnAWaitingJob() {
    assertSameState("progress", """
        [{"op":"add","name":"p","data":{},"opts":{"jobId":"job-p"}},
         {"op":"updateProgress","id":"job-p","progress":{"pct":40,"step":"x"}},
         {"op":"updateProgress","id":"job-p","progress":75}]""");
  }

  @Test
  void addBulkWithMixedOptions() {
    assertSameState("bulk", """
        [{"op":"add","name":"first","data":{}},
         {"op":"addBulk","jobs":[
           {"name":"b1","data":{"i":1}},
           {"name":"b2","data":{"i":2},"opts":{"jobId":"bulk-2","attempts":3,"keepLogs":5}},
           {"name":"b3","data":{"i":3},"opts":{"priority":7}},
           {"name":"b4","data":{"i":4},"opts":{"delay":20000}},
           {"name":"b5","data":{"i":5},"opts":{"lifo":true}},
           {"name":"b2","data":{"i":6},"opts":{"jobId":"bulk-2"}}]}]""");
  }

  @Test
  void priorityWinsOverLifo() {
    assertSameState("prio-lifo", """
        [{"op":"add","name":"a","data":{}},
         {"op":"add","name":"pl","data":{},"opts":{"priority":2,"lifo":true}},
         {"op":"add","name":"dl","data":{},"opts":{"delay":10000,"lifo":true}}]""");
  }

  @Test
  void theDelayMarkerKeepsTheFractionOfTheFirstDelayedScore() {
    // after the debounce replaces the first job, the lowest delayed score has seq 1: due*4096 + 1
    assertSameState("marker-frac", """
        [{"op":"add","name":"a","data":{},
          "opts":{"delay":5000,"timestamp":%d,"deduplication":{"id":"deb","ttl":9000,"extend":true,"replace":true}}},
         {"op":"add","name":"b","data":{},"opts":{"delay":5000,"timestamp":%d}},
         {"op":"add","name":"a2","data":{},
          "opts":{"delay":8000,"timestamp":%d,"deduplication":{"id":"deb","ttl":9000,"extend":true,"replace":true}}}]"""
        .formatted(TS, TS, TS));
  }

  @Test
  void deduplicationVariantsOnReadyJobs() {
    assertSameState("dedup-more", """
        [{"op":"add","name":"x","data":{"v":1},"opts":{"deduplication":{"id":"ext","ttl":30000,"extend":true}}},
         {"op":"add","name":"x","data":{"v":2},"opts":{"deduplication":{"id":"ext","ttl":30000,"extend":true}}},
         {"op":"add","name":"r","data":{"v":3},
          "opts":{"deduplication":{"id":"rep","ttl":30000,"extend":true,"replace":true}}},
         {"op":"add","name":"r","data":{"v":4},
          "opts":{"deduplication":{"id":"rep","ttl":30000,"extend":true,"replace":true}}},
         {"op":"add","name":"c","data":{"v":5},"opts":{"jobId":"cid","deduplication":{"id":"cd"}}},
         {"op":"add","name":"c","data":{"v":6},"opts":{"jobId":"cid2","deduplication":{"id":"cd"}}}]""");
  }

  @Test
  void rescheduleMovesADelayedOwnerToTheNewAddsDelay() {
    // r1: moved from +5000 to (TS+1000)+20000; r2 (ttl + extend): due at once (no delay), same ms as x, so
    // seq 1; w: a waiting owner is not moved; the marker follows the new lowest score
    assertSameState("resched", """
        [{"op":"add","name":"r","data":{"v":1},
          "opts":{"delay":5000,"timestamp":%d,"deduplication":{"id":"r1","reschedule":true}}},
         {"op":"add","name":"r","data":{"v":2},
          "opts":{"delay":20000,"timestamp":%d,"deduplication":{"id":"r1","reschedule":true}}},
         {"op":"add","name":"x","data":{},"opts":{"delay":10,"timestamp":%d}},
         {"op":"add","name":"r2","data":{"v":3},
          "opts":{"delay":60000,"timestamp":%d,
                  "deduplication":{"id":"r2","ttl":90000,"extend":true,"reschedule":true}}},
         {"op":"add","name":"r2","data":{"v":4},
          "opts":{"timestamp":%d,"deduplication":{"id":"r2","ttl":90000,"extend":true,"reschedule":true}}},
         {"op":"add","name":"w","data":{"v":5},"opts":{"timestamp":%d,"deduplication":{"id":"w","reschedule":true}}},
         {"op":"add","name":"w","data":{"v":6},
          "opts":{"delay":7000,"timestamp":%d,"deduplication":{"id":"w","reschedule":true}}}]"""
        .formatted(TS, TS + 1000, TS, TS, TS + 10, TS, TS));
  }

  @Test
  void rescheduleWithKeepLastIfActiveOnADelayedOwnerAndAThrottleKey() {
    assertSameState("resched-keep", """
        [{"op":"add","name":"k","data":{"v":1},
          "opts":{"delay":5000,"timestamp":%d,"deduplication":{"id":"k","ttl":60000,"keepLastIfActive":true}}},
         {"op":"add","name":"k","data":{"v":2},"opts":{"delay":9000,"timestamp":%d,
          "deduplication":{"id":"k","ttl":60000,"reschedule":true,"keepLastIfActive":true}}},
         {"op":"add","name":"t","data":{"v":3},
          "opts":{"delay":5000,"timestamp":%d,"deduplication":{"id":"t","ttl":60000}}},
         {"op":"add","name":"t","data":{"v":4},
          "opts":{"delay":1000,"timestamp":%d,"deduplication":{"id":"t","ttl":60000,"reschedule":true}}}]"""
        .formatted(TS, TS, TS, TS));
  }

  @Test
  void aThrottleKeyKeepsBlockingAfterItsJobIsGoneButAStaleSimpleKeyIsTakenOver() {
    String nodeQueue = RedisTestSupport.uniqueQueueName("stale-node");
    String javaQueue = RedisTestSupport.uniqueQueueName("stale-java");
    Map<String, Object> throttle = Map.of("deduplication", Map.of("id", "thr", "ttl", 60_000));
    Map<String, Object> simple = Map.of("deduplication", Map.of("id", "sim"));
    Queue corral = client.queue(javaQueue);

    node.add(nodeQueue, "t", Map.of("v", 1), throttle);
    node.add(nodeQueue, "s", Map.of("v", 2), simple);
    corral.add("t", Map.of("v", 1), BullmqOpts.toJobOptions(Json.MAPPER.valueToTree(throttle)));
    corral.add("s", Map.of("v", 2), BullmqOpts.toJobOptions(Json.MAPPER.valueToTree(simple)));
    // the owners disappear (as after removeOnComplete); the dedup keys stay
    client.redisson().getKeys().delete(QueueKeys.of(nodeQueue).job("1"), QueueKeys.of(nodeQueue).job("2"),
        QueueKeys.of(javaQueue).job("1"), QueueKeys.of(javaQueue).job("2"));
    String nodeThrottled = node.add(nodeQueue, "t", Map.of("v", 3), throttle);
    String nodeSimple = node.add(nodeQueue, "s", Map.of("v", 4), simple);
    String javaThrottled = corral.add("t", Map.of("v", 3), BullmqOpts.toJobOptions(Json.MAPPER.valueToTree(throttle)));
    String javaSimple = corral.add("s", Map.of("v", 4), BullmqOpts.toJobOptions(Json.MAPPER.valueToTree(simple)));

    assertEquals("1", nodeThrottled);
    assertEquals("4", nodeSimple);
    assertEquals(nodeThrottled, javaThrottled);
    assertEquals(nodeSimple, javaSimple);
    assertEquals(QueueSnapshot.canonical(QueueSnapshot.of(client, QueueKeys.of(nodeQueue))),
        QueueSnapshot.canonical(QueueSnapshot.of(client, QueueKeys.of(javaQueue))));
  }
}
