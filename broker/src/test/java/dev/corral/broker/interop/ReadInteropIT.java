package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Backoff;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Deduplication;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each side reads what the other wrote: jobs, counts and the paused flag (real bullmq 6.7.0). */
class ReadInteropIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;
  private Queue queue;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("read"));
  }

  private static JsonNode json(String text) {
    return Json.parseLenient(text);
  }

  @Test
  void nodeReadsACorralJobWithTheSameFields() {
    String id = queue.add("invoice", Map.of("amount", 42, "lines", List.of("a", "b")), JobOptions.builder()
        .jobId("inv-1").priority(3).attempts(4).backoff(Backoff.exponential(500)).keepLogs(7)
        .removeOnComplete(KeepJobs.count(10)).removeOnFail(KeepJobs.age(3600, 5, null)).stackTraceLimit(2)
        .deduplication(Deduplication.simple("inv")).build());
    queue.updateProgress(id, Map.of("pct", 10));
    Job corral = queue.getJob(id).orElseThrow();

    JsonNode n = node.getJob(queue.name(), id);

    assertEquals("inv-1", n.get("id").asText());
    assertEquals("invoice", n.get("name").asText());
    assertEquals(corral.data(), n.get("data"));
    // Node decodes the compact keys back to its public names (kl -> keepLogs, de -> deduplication)
    assertEquals(json("""
        {"jobId":"inv-1","priority":3,"attempts":4,"backoff":{"type":"exponential","delay":500},"keepLogs":7,
         "removeOnComplete":10,"removeOnFail":{"age":3600,"count":5},"stackTraceLimit":2,
         "deduplication":{"id":"inv"}}"""), n.get("opts"));
    assertEquals(corral.timestamp(), n.get("timestamp").asLong());
    assertEquals(0, n.get("delay").asLong());
    assertEquals(3, n.get("priority").asInt());
    assertEquals(json("{\"pct\":10}"), n.get("progress"));
    assertEquals(0, n.get("attemptsMade").asInt());
    assertEquals("inv", n.get("deduplicationId").asText());
    assertEquals("prioritized", n.get("state").asText());
    assertEquals("prioritized", node.getState(queue.name(), id));
  }

  @Test
  void corralReadsANodeJobWithTheSameFields() {
    String id = node.add(queue.name(), "report", Map.of("month", "2026-10"),
        Map.of("delay", 60_000, "attempts", 2, "backoff", 1000, "keepLogs", 3, "removeOnComplete", true));

    Job job = queue.getJob(id).orElseThrow();
    JsonNode n = node.getJob(queue.name(), id);

    assertEquals(n.get("id").asText(), job.id());
    assertEquals("report", job.name());
    assertEquals(n.get("data"), job.data());
    assertEquals(json("""
        {"delay":60000,"attempts":2,"backoff":{"delay":1000,"type":"fixed"},"kl":3,"removeOnComplete":true}"""),
        job.opts());
    assertEquals(n.get("timestamp").asLong(), job.timestamp());
    assertEquals(60_000, job.delay());
    assertEquals(0, job.priority());
    assertEquals(2, job.attempts());
    assertEquals(JobState.DELAYED, queue.getState(id));
  }

  @Test
  void corralReadsWhatANodeWorkerLeftOnCorralJobs() {
    String ok = queue.add("ok", Map.of("behaviour", Map.of("returnValue", Map.of("sum", 3), "progress", 100,
        "log", "step 1")));
    String bad = queue.add("bad", Map.of("behaviour", Map.of("fail", "no stock")));
    try (NodeProcess worker = node.work(queue.name(), Map.of("count", 2, "name", "node-w1"))) {
      worker.awaitType("done", Duration.ofSeconds(30));
    }

    Job done = queue.getJob(ok).orElseThrow();
    JsonNode nDone = node.getJob(queue.name(), ok);
    assertEquals(json("{\"sum\":3}"), done.returnValue());
    assertEquals(nDone.get("returnvalue"), done.returnValue());
    assertEquals(nDone.get("finishedOn").asLong(), done.finishedOn());
    assertEquals(nDone.get("processedOn").asLong(), done.processedOn());
    assertEquals(1, done.attemptsMade());
    assertEquals(1, done.attemptsStarted());
    assertEquals("node-w1", done.processedBy());
    assertEquals(json("100"), done.progress());
    assertEquals(List.of("step 1"), queue.getJobLogs(ok, 0, -1, true).logs());
    assertEquals(JobState.COMPLETED, queue.getState(ok));

    Job failed = queue.getJob(bad).orElseThrow();
    JsonNode nFailed = node.getJob(queue.name(), bad);
    assertEquals("no stock", failed.failedReason());
    assertEquals(nFailed.get("failedReason").asText(), failed.failedReason());
    assertEquals(1, failed.stacktrace().size());
    assertTrue(failed.stacktrace().get(0).startsWith("Error: no stock"), failed.stacktrace().get(0));
    assertEquals(JobState.FAILED, queue.getState(bad));
  }

  @Test
  void jobCountsAreEqualFromBothSidesOverAMixedQueue() {
    queue.add("will-complete", Map.of("behaviour", Map.of("returnValue", 1)));
    node.add(queue.name(), "will-fail", Map.of("behaviour", Map.of("fail", "x")), Map.of());
    try (NodeProcess worker = node.work(queue.name(), Map.of("count", 2))) {
      worker.awaitType("done", Duration.ofSeconds(30));
    }
    queue.add("waiting-java", null);
    node.add(queue.name(), "waiting-node", null, null);
    queue.add("prio-java", null, JobOptions.builder().priority(2).build());
    node.add(queue.name(), "prio-node", null, Map.of("priority", 1));
    queue.add("delayed-java", null, JobOptions.builder().delay(120_000).build());
    node.add(queue.name(), "delayed-node", null, Map.of("delay", 120_000));
    node.add(queue.name(), "delayed-node-2", null, Map.of("delay", 90_000, "priority", 9));

    Map<String, Long> nodeCounts = node.counts(queue.name());
    Map<String, Long> corralCounts = new LinkedHashMap<>();
    queue.getJobCounts().forEach((state, n) -> corralCounts.put(state.wireName(), n));

    assertEquals(Map.of("active", 0L, "completed", 1L, "delayed", 3L, "failed", 1L, "prioritized", 2L,
        "waiting", 2L, "waiting-children", 0L), nodeCounts);
    assertEquals(nodeCounts, corralCounts);
    Map<String, Long> some = node.counts(queue.name(), "waiting", "paused", "delayed");
    assertEquals(some.get("waiting"), queue.getJobCount(JobState.WAITING));
    assertEquals(some.get("paused"), queue.getJobCount(JobState.PAUSED));
    assertEquals(some.get("delayed"), queue.getJobCount(JobState.DELAYED));
  }

  @Test
  void pauseAndResumeAreSeenByTheOtherSide() {
    assertFalse(node.isPaused(queue.name()));

    queue.pause();
    assertTrue(node.isPaused(queue.name()));
    node.resume(queue.name());
    assertFalse(queue.isPaused());
    assertFalse(node.isPaused(queue.name()));

    node.pause(queue.name());
    assertTrue(queue.isPaused());
    assertTrue(queue.getMeta().paused());
    queue.resume();
    assertFalse(node.isPaused(queue.name()));
  }

  @Test
  void aNodeWorkerTakesNothingFromAQueueCorralPaused() throws Exception {
    queue.pause();
    queue.add("held", null);
    try (NodeProcess worker = node.work(queue.name(), Map.of("count", 1, "returnValue", "ran"))) {
      Thread.sleep(1500);
      assertEquals(1L, queue.getJobCount(JobState.WAITING));
      assertTrue(worker.lines().stream().noneMatch(l -> l.path("type").asText().equals("started")));
      queue.resume();
      JsonNode completed = worker.awaitType("completed", Duration.ofSeconds(15));
      assertEquals("ran", completed.get("result").asText());
    }
  }
}
