package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobMetrics;
import dev.corral.broker.JobState;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.support.Json;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/**
 * The same jobs (added by bullmq to two fresh queues) processed by a real bullmq 6.7.0 Worker on one queue and
 * by a Corral worker on the other leave equal job hashes, lists, zsets and event sequences.
 *
 * <p>On top of what {@link QueueSnapshot} normalises, this ignores what depends on the clock or the runtime:
 * {@code processedOn}/{@code finishedOn} values and the matching scores of {@code completed}/{@code failed}
 * (members compared in id order: which of two jobs finishes first in a millisecond is timing), the
 * {@code prevTS} of worker metrics (the time of a finish), the due
 * times in {@code delayed} events, the value (a timestamp) of {@code stalled-check}, the {@code marker} zset
 * (whether an idle worker has popped the marker yet is a race), and each stack trace except its message (a Node {@code Error: m} and a Java
 * {@code java.lang.IllegalStateException: m} both count as {@code m}). Lock tokens cannot differ: no lock may
 * be left.
 */
class WorkerStateInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Set<String> TIMES = Set.of("processedOn", "finishedOn");
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
  }

  private void assertSameProcessing(String hint, String stepsJson, int attempts) {
    assertSameProcessing(hint, stepsJson, attempts, "{}", queue -> { });
  }

  /**
   * Adds the jobs of {@code stepsJson} with bullmq to two fresh queues, runs {@code beforeWork} on each queue's
   * name right before its worker starts, processes one queue with a bullmq Worker and the other with a Corral
   * worker (both with {@code workerOptionsJson}: {@code maxStartedAttempts}, {@code metrics}) until
   * {@code attempts} attempts finished, and compares what they stored.
   *
   * @return the two queue names, bullmq's first
   */
  private List<String> assertSameProcessing(String hint, String stepsJson, int attempts, String workerOptionsJson,
      Consumer<String> beforeWork) {
    JsonNode steps = InteropSteps.parse(stepsJson);
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");
    JsonNode nodeIds = node.runSteps(nodeQueue, steps);
    JsonNode javaIds = node.runSteps(javaQueue, steps);
    assertEquals(nodeIds, javaIds);

    ObjectNode workerOptions = (ObjectNode) Json.parseLenient(workerOptionsJson);
    ObjectNode behaviour = Json.MAPPER.createObjectNode().put("name", "state-w").put("count", attempts);
    behaviour.setAll(workerOptions);
    List<String> nodeOrder;
    beforeWork.accept(nodeQueue);
    try (NodeProcess worker = node.work(nodeQueue, behaviour)) {
      worker.awaitType("done", WAIT);
      nodeOrder = worker.lines().stream().filter(l -> "started".equals(l.path("type").asText()))
          .map(l -> l.get("id").asText()).toList();
    }
    WorkerOptions.Builder javaOptions = WorkerOptions.builder().name("state-w")
        .maxStartedAttempts(workerOptions.path("maxStartedAttempts").asInt(0))
        .metrics(workerOptions.path("metrics").path("maxDataPoints").asInt(0));
    beforeWork.accept(javaQueue);
    List<String> javaOrder = new JavaWork(client, javaQueue, null, attempts, javaOptions).awaitDone(WAIT);
    assertEquals(nodeOrder, javaOrder, hint + ": attempts started in the same order");

    ObjectNode expected = normalise(QueueSnapshot.of(client, QueueKeys.of(nodeQueue)));
    ObjectNode actual = normalise(QueueSnapshot.of(client, QueueKeys.of(javaQueue)));
    assertTrue(expected.has("events") && expected.has("stalled-check"), expected.toString());
    // keys that name the queue (a child's parentKey, a parent's children values) differ only by the queue name
    assertEquals(QueueSnapshot.canonical(expected).replace(nodeQueue, "<queue>"),
        QueueSnapshot.canonical(actual).replace(javaQueue, "<queue>"),
        hint + ": stored state (bullmq worker first, Corral worker second)");
    return List.of(nodeQueue, javaQueue);
  }

  /** Removes from a snapshot what depends on the clock or the runtime (see the class comment). */
  static ObjectNode normalise(ObjectNode snapshot) {
    snapshot.remove("marker");
    for (String finished : List.of("completed", "failed")) {
      if (snapshot.get(finished) instanceof ArrayNode entries) {
        // scores are finish times: jobs finishing in the same millisecond sort by id, others by time, so the
        // order is a matter of timing; compare the members in id order
        List<String> ids = new ArrayList<>();
        entries.forEach(pair -> ids.add(pair.get(0).asText()));
        ids.sort(null);
        entries.removeAll();
        ids.forEach(id -> entries.addArray().add(id).add("<t>"));
      }
    }
    for (String metrics : List.of("metrics:completed", "metrics:failed")) {
      if (snapshot.get(metrics) instanceof ObjectNode counts && counts.has("prevTS")) {
        counts.put("prevTS", "<t>");
      }
    }
    if (snapshot.has("stalled-check")) {
      snapshot.set("stalled-check", Json.parseLenient("{\"value\":\"<ts>\",\"ttl\":true}"));
    }
    snapshot.properties().forEach(e -> {
      JsonNode value = e.getValue();
      if (value.isObject() && value.has("timestamp") && value.has("name")) {
        ObjectNode job = (ObjectNode) value;
        TIMES.forEach(f -> {
          if (job.has(f)) {
            job.put(f, "<t>");
          }
        });
        if (job.get("stacktrace") instanceof ArrayNode traces) {
          ArrayNode messages = job.putArray("stacktrace");
          traces.forEach(t -> messages.add(message(t.asText())));
        }
      }
    });
    if (snapshot.get("events") instanceof ArrayNode events) {
      events.forEach(e -> {
        if ("delayed".equals(e.path("event").asText())) {
          ((ObjectNode) e).put("delay", "<due>");
        }
      });
    }
    return snapshot;
  }

  /** {@code "Error: boom\n    at ..."} → {@code "boom"}. */
  private static String message(String trace) {
    String first = trace.lines().findFirst().orElse("");
    int colon = first.indexOf(": ");
    return colon < 0 ? first : first.substring(colon + 2);
  }

  @Test
  void aCompletedJobWithProgressAndLogsNextToAPendingDelayedJob() {
    assertSameProcessing("done", """
        [{"op":"add","name":"later","data":{},"opts":{"delay":600000}},
         {"op":"add","name":"ok","data":{"n":1,"behaviour":{"progress":{"pct":50},"log":"hello log",
           "returnValue":{"ok":true,"v":42}}},"opts":{"removeOnFail":10}}]""", 1);
  }

  @Test
  void failedThenRetriedJobsWithAndWithoutBackoff() {
    assertSameProcessing("retried", """
        [{"op":"add","name":"backoff","data":{"behaviour":{"fail":"boom","failUntilAttempt":1,"returnValue":"b"}},
          "opts":{"attempts":3,"backoff":{"type":"fixed","delay":1500}}},
         {"op":"add","name":"now","data":{"behaviour":{"fail":"again","failUntilAttempt":1,"returnValue":"n"}},
          "opts":{"attempts":2,"stackTraceLimit":1}}]""", 4);
  }

  @Test
  void finalFailuresWithRetriesExhaustedAndUnrecoverable() {
    assertSameProcessing("failed", """
        [{"op":"add","name":"bad","data":{"behaviour":{"fail":"nope"}},"opts":{"attempts":2}},
         {"op":"add","name":"fatal","data":{"behaviour":{"unrecoverable":"give up"}},
          "opts":{"attempts":5,"removeOnFail":true}},
         {"op":"add","name":"kept","data":{"behaviour":{"fail":"once"}},"opts":{"removeOnFail":{"count":1}}}]""", 4);
  }

  @Test
  void aProcessorAddsChildrenToItsOwnJobAndWaitsForThem() {
    assertSameProcessing("wchildren", """
        [{"op":"add","name":"parent","data":{"behaviour":{"returnChildren":true,"children":[
          {"name":"c1","data":{"behaviour":{"returnValue":1}}},
          {"name":"c2","data":{"behaviour":{"returnValue":"two"}}}]}}}]""", 3);
  }

  @Test
  void maxStartedAttemptsAndWorkerMetricsAcrossMinutes() {
    List<String> queues = assertSameProcessing("started", """
        [{"op":"add","name":"ok","data":{"behaviour":{"returnValue":1}}},
         {"op":"add","name":"bad","data":{"behaviour":{"fail":"boom"}},"opts":{"attempts":5}},
         {"op":"add","name":"delays","data":{"behaviour":{"delayMs":200,"delayWhileStartedBelow":3}},
          "opts":{"attempts":5}}]""", 4, """
        {"maxStartedAttempts":2,"metrics":{"maxDataPoints":60}}""", WorkerStateInteropIT::seedMetricsMinutesAgo);
    for (String queue : queues) {
      JsonNode metrics = node.getMetrics(queue, "completed", 0, -1);
      JobMetrics corral = client.queue(queue).getMetrics(JobState.COMPLETED, 0, -1);
      assertEquals(Json.parseLenient("[0,0,3]"), metrics.get("data"), queue + ": bullmq reads the points");
      assertEquals(6, metrics.path("meta").path("count").asLong(), queue);
      assertEquals(new JobMetrics(6, metrics.path("meta").path("prevTS").asLong(), 5, List.of(0L, 0L, 3L), 3),
          corral, queue + ": Corral reads what bullmq reads");
      assertEquals(2, node.getMetrics(queue, "failed", 0, -1).path("meta").path("count").asLong(), queue);
      assertEquals(2, client.queue(queue).getMetrics(JobState.FAILED, 0, -1).count(), queue);
    }
  }

  /**
   * Metrics as earlier workers left them three minutes ago (count 5, the last point started at 2), so the first
   * finish pushes three points. Waits first until 20 s are left in the current minute, so that this run's finishes
   * all fall in one minute.
   */
  private static void seedMetricsMinutesAgo(String queue) {
    long now = System.currentTimeMillis();
    if (now % 60_000 > 40_000) {
      sleep(60_000 - now % 60_000 + 100);
      now = System.currentTimeMillis();
    }
    long threeMinutesAgo = (now / 60_000 - 3) * 60_000 + 1_000;
    client.redisson().getMap(QueueKeys.of(queue).key("metrics:completed"), StringCodec.INSTANCE)
        .putAll(Map.of("count", "5", "prevTS", String.valueOf(threeMinutesAgo), "prevCount", "2"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
