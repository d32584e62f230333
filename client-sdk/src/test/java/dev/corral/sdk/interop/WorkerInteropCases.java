package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.support.Json;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker-side cases run in both directions: one side adds the jobs, the other side's worker processes them,
 * and the adding side reads the outcome back. Every case also checks what is stored in Redis (job hash, sets,
 * the events stream), which must be what bullmq 6.7.0 stores (protocol doc §3.4–3.9, appendix A.1, A.5, A.6).
 *
 * <p>Job data carries the processor's {@code behaviour} (see {@code interop/node/lib/work.mjs} and
 * {@link JavaWork}), so the same scenario runs under either worker.
 */
abstract class WorkerInteropCases {

  /** Both sides' workers are named this, so {@code pb} is comparable. */
  static final String WORKER_NAME = "interop-w";
  static final Duration WAIT = Duration.ofSeconds(60);

  static final BrokerClient client = RedisTestSupport.sharedClient();
  static NodeBullmq node;
  static RedisProbe probe;
  String queue;
  QueueKeys keys;

  /** What the producing side reads back about a job (null fields when absent). */
  record View(String state, JsonNode returnValue, String failedReason, int attemptsMade, int attemptsStarted,
      List<String> stacktrace, JsonNode progress, List<String> logs, String processedBy, long timestamp,
      Long processedOn) {}

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = RedisTestSupport.uniqueQueueName(getClass().getSimpleName().substring(0, 8).toLowerCase());
    keys = QueueKeys.of(queue);
  }

  /** Adds the jobs of {@code stepsJson} (see InteropSteps) with the producing side; one result per step. */
  abstract JsonNode produce(String stepsJson);

  /**
   * Runs the other side's worker (named {@link #WORKER_NAME}, concurrency 1) with {@code behaviour} as the
   * default until {@code attempts} attempts finished; returns the job ids in the order their attempts started.
   */
  abstract List<String> work(String behaviourJson, int attempts);

  /** The producing side's reading of a job, or null when it does not exist. */
  abstract View read(String id);

  private List<String> eventNames() {
    return probe.eventNames(keys.events());
  }

  private List<Map<String, String>> events(String name) {
    return probe.stream(keys.events()).stream().filter(e -> name.equals(e.get("event"))).toList();
  }

  @Test
  void aStandardJobsReturnValueIsReadBackByTheProducer() {
    String id = produce("""
        [{"op":"add","name":"email","data":{"to":"a@b.c","behaviour":{"returnValue":{"ok":true,"v":42}}}}]""")
        .get(0).asText();
    assertEquals(List.of(id), work("{}", 1));

    View v = read(id);
    assertEquals("completed", v.state());
    assertEquals(Json.parseLenient("{\"ok\":true,\"v\":42}"), v.returnValue());
    assertEquals(1, v.attemptsMade());
    assertEquals(1, v.attemptsStarted());
    assertEquals(WORKER_NAME, v.processedBy());
    Map<String, String> hash = probe.hash(keys.job(id));
    assertTrue(Long.parseLong(hash.get("finishedOn")) >= Long.parseLong(hash.get("processedOn")));
    assertEquals(Json.parseLenient(hash.get("returnvalue")), v.returnValue());
    assertFalse(probe.exists(keys.lock(id)));
    assertEquals(List.of(), probe.list(keys.active()));
    assertEquals(List.of("added", "waiting", "active", "completed", "drained"), eventNames());
    Map<String, String> completed = events("completed").get(0);
    assertEquals(Map.of("event", "completed", "jobId", id, "returnvalue", "{\"ok\":true,\"v\":42}", "prev", "active"),
        completed);
    assertEquals(Map.of("event", "active", "jobId", id, "prev", "waiting"), events("active").get(0));
  }

  @Test
  void aDuplicateCustomIdIsProcessedOnce() {
    JsonNode ids = produce("""
        [{"op":"add","name":"custom","data":{"x":2,"behaviour":{"returnValue":"first"}},"opts":{"jobId":"order-77"}},
         {"op":"add","name":"custom","data":{"x":3,"behaviour":{"returnValue":"second"}},"opts":{"jobId":"order-77"}},
         {"op":"add","name":"plain","data":{"x":4}}]""");
    // the id counter is INCRed by every add, custom id or not
    assertEquals(Json.parseLenient("[\"order-77\",\"order-77\",\"3\"]"), ids);
    assertEquals(List.of("order-77", "3"), work("{}", 2));

    assertEquals(Json.MAPPER.getNodeFactory().textNode("first"), read("order-77").returnValue());
    assertEquals(1, read("order-77").attemptsMade());
    assertEquals(1, events("duplicated").size());
    assertEquals("order-77", events("duplicated").get(0).get("jobId"));
    assertEquals(List.of("3", "order-77"), probe.zset(keys.completed()).stream().map(Map.Entry::getKey).sorted()
        .toList());
  }

  @Test
  void aDelayedJobRunsAfterItsDelayAndAfterAReadyJob() {
    JsonNode ids = produce("""
        [{"op":"add","name":"later","data":{"behaviour":{"returnValue":"late"}},"opts":{"delay":1500}},
         {"op":"add","name":"now","data":{}}]""");
    String later = ids.get(0).asText();
    String now = ids.get(1).asText();
    assertEquals(List.of(now, later), work("{}", 2));

    View v = read(later);
    assertEquals("completed", v.state());
    assertTrue(v.processedOn() - v.timestamp() >= 1500, "processed " + (v.processedOn() - v.timestamp())
        + " ms after it was added");
    assertEquals("0", probe.hash(keys.job(later)).get("delay"));
    assertEquals(List.of(Map.of("event", "waiting", "jobId", later, "prev", "delayed")),
        events("waiting").stream().filter(e -> "delayed".equals(e.get("prev"))).toList());
    assertEquals(List.of(), probe.zset(keys.delayed()));
  }

  @Test
  void prioritizedJobsRunAfterPlainOnesLowestPriorityFirst() {
    produce("""
        [{"op":"add","name":"p5a","data":{},"opts":{"priority":5}},
         {"op":"add","name":"p1","data":{},"opts":{"priority":1}},
         {"op":"add","name":"p5b","data":{},"opts":{"priority":5}},
         {"op":"add","name":"plain","data":{}},
         {"op":"add","name":"p3","data":{},"opts":{"priority":3}},
         {"op":"add","name":"plain2","data":{}}]""");
    assertEquals(List.of("4", "6", "2", "5", "1", "3"), work("{}", 6));
    assertFalse(probe.exists(keys.prioritized()));
    assertFalse(probe.exists(keys.key("pc")), "pc is deleted once prioritized is found empty");
  }

  @Test
  void aLifoJobRunsFirst() {
    produce("""
        [{"op":"add","name":"a","data":{}},
         {"op":"add","name":"lifo","data":{},"opts":{"lifo":true}},
         {"op":"add","name":"b","data":{}}]""");
    assertEquals(List.of("2", "1", "3"), work("{}", 3));
  }

  @Test
  void failedAttemptsBackOffExponentiallyThenSucceed() {
    String id = produce("""
        [{"op":"add","name":"flaky","data":{"behaviour":{"fail":"boom","failUntilAttempt":2,"returnValue":"ok"}},
          "opts":{"attempts":3,"backoff":{"type":"exponential","delay":200}}}]""").get(0).asText();
    assertEquals(List.of(id, id, id), work("{}", 3));

    View v = read(id);
    assertEquals("completed", v.state());
    assertEquals(Json.MAPPER.getNodeFactory().textNode("ok"), v.returnValue());
    assertEquals(3, v.attemptsMade());
    assertEquals(3, v.attemptsStarted());
    assertEquals("boom", v.failedReason(), "the last failure's message stays after success");
    assertEquals(2, v.stacktrace().size());
    v.stacktrace().forEach(trace -> assertTrue(trace.contains("boom"), trace));
    Map<String, String> hash = probe.hash(keys.job(id));
    assertEquals("3", hash.get("atm"));
    assertEquals("3", hash.get("ats"));
    assertEquals("0", hash.get("delay"));
    assertEquals(List.of("added", "waiting", "active", "delayed", "waiting", "active", "delayed", "waiting", "active",
        "completed", "drained"), eventNames());
    // the due time (client clock) minus when the event was written (server clock, same host)
    List<Long> backoffs = probe.streamEntries(keys.events()).stream()
        .filter(e -> "delayed".equals(e.getValue().get("event")))
        .map(e -> Long.parseLong(e.getValue().get("delay")) - Long.parseLong(e.getKey().split("-")[0]))
        .toList();
    assertEquals(2, backoffs.size());
    assertTrue(backoffs.get(0) > 100 && backoffs.get(0) <= 205, "first retry due in " + backoffs.get(0));
    assertTrue(backoffs.get(1) > 300 && backoffs.get(1) <= 405, "second retry due in " + backoffs.get(1));
  }

  @Test
  void exhaustedRetriesFailTheJobWithRetriesExhausted() {
    String id = produce("""
        [{"op":"add","name":"bad","data":{"behaviour":{"fail":"nope"}},"opts":{"attempts":2}}]""").get(0).asText();
    assertEquals(List.of(id, id), work("{}", 2));

    View v = read(id);
    assertEquals("failed", v.state());
    assertEquals("nope", v.failedReason());
    assertEquals(2, v.attemptsMade());
    assertEquals(2, v.stacktrace().size());
    assertNull(v.returnValue());
    assertEquals(List.of(id), probe.zset(keys.failed()).stream().map(Map.Entry::getKey).toList());
    assertEquals(List.of("added", "waiting", "active", "waiting", "active", "failed", "retries-exhausted", "drained"),
        eventNames());
    assertEquals(Map.of("event", "waiting", "jobId", id, "prev", "active"), events("waiting").get(1));
    assertEquals(Map.of("event", "failed", "jobId", id, "failedReason", "nope", "prev", "active"),
        events("failed").get(0));
    assertEquals(Map.of("event", "retries-exhausted", "jobId", id, "attemptsMade", "2"),
        events("retries-exhausted").get(0));
  }

  @Test
  void anUnrecoverableErrorSkipsTheRemainingAttempts() {
    String id = produce("""
        [{"op":"add","name":"fatal","data":{"behaviour":{"unrecoverable":"give up"}},
          "opts":{"attempts":3,"backoff":{"type":"fixed","delay":100}}}]""").get(0).asText();
    assertEquals(List.of(id), work("{}", 1));

    View v = read(id);
    assertEquals("failed", v.state());
    assertEquals("give up", v.failedReason());
    assertEquals(1, v.attemptsMade());
    assertEquals(1, v.stacktrace().size());
    assertEquals(List.of("added", "waiting", "active", "failed", "drained"), eventNames(),
        "no retries-exhausted: atm 1 < attempts 3");
  }

  @Test
  void progressAndLogsAreStoredAndEmitted() {
    String id = produce("""
        [{"op":"add","name":"p","data":{"behaviour":{"progress":{"pct":50,"step":"x"},"log":"hello log"}}}]""")
        .get(0).asText();
    work("{}", 1);

    View v = read(id);
    assertEquals(Json.parseLenient("{\"pct\":50,\"step\":\"x\"}"), v.progress());
    assertEquals(List.of("hello log"), v.logs());
    assertEquals(List.of("hello log"), probe.list(keys.logs(id)));
    assertEquals(List.of("added", "waiting", "active", "progress", "completed", "drained"), eventNames());
    assertEquals(Json.parseLenient("{\"pct\":50,\"step\":\"x\"}"),
        Json.parseLenient(events("progress").get(0).get("data")));
  }

  @Test
  void removeOnCompleteKeepsOnlyTheNewestJobs() {
    produce("""
        [{"op":"add","name":"k","data":{"behaviour":{"returnValue":1}},"opts":{"removeOnComplete":2}},
         {"op":"add","name":"k","data":{"behaviour":{"returnValue":2}},"opts":{"removeOnComplete":2}},
         {"op":"add","name":"k","data":{"behaviour":{"returnValue":3}},"opts":{"removeOnComplete":2}},
         {"op":"add","name":"k","data":{"behaviour":{"returnValue":4}},"opts":{"removeOnComplete":2}}]""");
    assertEquals(List.of("1", "2", "3", "4"), work("{\"sleepMs\":5}", 4));

    assertEquals(List.of("3", "4"), probe.zset(keys.completed()).stream().map(Map.Entry::getKey).toList());
    assertNull(read("1"));
    assertNull(read("2"));
    assertFalse(probe.exists(keys.job("1")));
    assertEquals(Json.MAPPER.getNodeFactory().numberNode(4), read("4").returnValue());
  }
}
