package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.support.Json;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.sdk.WorkerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Corral worker and the real bullmq 6.7.0 sharing one queue: Node's pause and resume, Node's QueueEvents
 * watching a Java worker, stalled-job recovery across runtimes, and worker discovery.
 */
class WorkerCoexistenceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;
  private static RedisProbe probe;
  private String queue;
  private QueueKeys keys;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = RedisTestSupport.uniqueQueueName("coexist");
    keys = QueueKeys.of(queue);
  }

  private List<Map<String, String>> events(String name) {
    return probe.stream(keys.events()).stream().filter(e -> name.equals(e.get("event"))).toList();
  }

  @Test
  void aJavaWorkerTakesNothingFromAQueueNodePausedAndResumesAfterNodeResumes() {
    try (JavaWork java = new JavaWork(client, queue, null, 2,
        WorkerOptions.builder().name("java-p").drainDelay(Duration.ofSeconds(1)))) {
      JsonNode ids = node.runSteps(queue, Json.parseLenient("""
          [{"op":"pause"},
           {"op":"add","name":"ready","data":{}},
           {"op":"add","name":"soon","data":{},"opts":{"delay":300}}]"""));
      String ready = ids.get(1).asText();
      String soon = ids.get(2).asText();
      // only a worker's fetch promotes delayed jobs: once "soon" is promoted, the Java worker has asked for a
      // job while the queue was paused, and must have got none
      Await.until(WAIT, () -> events("waiting").stream().anyMatch(e -> soon.equals(e.get("jobId"))
          && "delayed".equals(e.get("prev"))));
      assertEquals(List.of(), java.started());
      assertEquals(List.of(soon, ready), probe.list(keys.waitList()));
      assertEquals(List.of(), probe.list(keys.active()));
      assertFalse(events("active").iterator().hasNext());
      assertTrue(node.isPaused(queue));

      node.resume(queue);
      assertEquals(List.of(ready, soon), java.awaitDone(WAIT));
      assertEquals("completed", node.getState(queue, ready));
      assertEquals("completed", node.getState(queue, soon));
    }
  }

  @Test
  void nodeQueueEventsSeesWhatAJavaWorkerDoes() {
    JsonNode ids = node.runSteps(queue, Json.parseLenient("""
        [{"op":"add","name":"ok","data":{"behaviour":{"progress":42,"returnValue":{"v":1}}}},
         {"op":"add","name":"bad","data":{"behaviour":{"fail":"bad input"}}}]"""));
    String ok = ids.get(0).asText();
    String bad = ids.get(1).asText();
    try (NodeProcess listener = node.events(queue, 7, WAIT)) {
      new JavaWork(client, queue, null, 2, "java-e").awaitDone(WAIT);
      JsonNode done = listener.awaitType("done", WAIT);
      assertFalse(done.get("timedOut").asBoolean(), done.toString());
      List<String> seen = new ArrayList<>();
      done.get("events").forEach(e -> seen.add(e.get("event").asText() + ":" + e.path("args").path("jobId").asText()));
      assertEquals(List.of("active:" + ok, "progress:" + ok, "completed:" + ok, "active:" + bad, "failed:" + bad,
          "retries-exhausted:" + bad, "drained:"), seen);
      JsonNode events = done.get("events");
      assertEquals(Json.parseLenient("42"), events.get(1).get("args").get("data"), "QueueEvents parses progress");
      assertEquals(Json.parseLenient("{\"v\":1}"), events.get(2).get("args").get("returnvalue"),
          "QueueEvents parses the return value");
      assertEquals("bad input", events.get(4).get("args").get("failedReason").asText());
      assertEquals("1", events.get(5).get("args").get("attemptsMade").asText());
    }
  }

  @Test
  void aJavaWorkerRecoversTheJobOfANodeWorkerKilledMidJob() {
    String id = node.add(queue, "crashy", Map.of("behaviour", Map.of("crash", true, "returnValue", "after crash")),
        Map.of());
    try (NodeProcess nodeWorker = node.work(queue, Map.of("name", "node-w", "lockDuration", 1000,
        "stalledInterval", 1000))) {
      nodeWorker.awaitType("crashing", WAIT);
      nodeWorker.awaitExit(WAIT);
    }
    assertEquals(List.of(id), probe.list(keys.active()), "the killed worker left its job active");

    JavaWork java = new JavaWork(client, queue, null, 1, WorkerOptions.builder().name("java-r")
        .stalledInterval(Duration.ofMillis(500)));
    assertEquals(List.of(id), java.awaitDone(WAIT));

    Job job = client.queue(queue).getJob(id).orElseThrow();
    assertEquals(JobState.COMPLETED, client.queue(queue).getState(id));
    assertEquals(1, job.stalledCounter());
    assertEquals(2, job.attemptsStarted());
    assertEquals(1, job.attemptsMade());
    assertEquals("java-r", job.processedBy());
    assertEquals(Json.MAPPER.getNodeFactory().textNode("after crash"), job.returnValue());
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled", "active", "completed", "drained"),
        probe.eventNames(keys.events()));
    assertEquals(Map.of("event", "waiting", "jobId", id, "prev", "active"), events("waiting").get(1));
    assertEquals(Map.of("event", "stalled", "jobId", id), events("stalled").get(0));
    JsonNode nodeView = node.getJob(queue, id);
    assertEquals(1, nodeView.get("stalledCounter").asInt());
  }

  @Test
  void aNodeWorkerRecoversTheJobOfAJavaWorkerThatDied() {
    Queue corral = client.queue(queue);
    String id = corral.add("orphan", Map.of("n", 1));
    // a Java worker takes the job and dies: nobody renews or releases its 1 s lock
    Job taken = new JobLifecycle(client, keys).fetch(new FetchRequest("dead-java:0", 1000, 0, 0, "java-dead")).job();
    assertEquals(id, taken.id());
    assertEquals("dead-java:0", probe.string(keys.lock(id)));

    try (NodeProcess nodeWorker = node.work(queue, Map.of("name", "node-r", "stalledInterval", 500,
        "returnValue", "recovered by node"))) {
      JsonNode done = nodeWorker.awaitType("done", WAIT);
      assertEquals(1, done.get("completed").asInt());
    }
    Job job = corral.getJob(id).orElseThrow();
    assertEquals(JobState.COMPLETED, corral.getState(id));
    assertEquals(1, job.stalledCounter());
    assertEquals(2, job.attemptsStarted());
    assertEquals("node-r", job.processedBy());
    assertEquals(Json.MAPPER.getNodeFactory().textNode("recovered by node"), job.returnValue());
    assertEquals(List.of("added", "waiting", "active", "waiting", "stalled", "active", "completed", "drained"),
        probe.eventNames(keys.events()));
    assertEquals(Map.of("event", "stalled", "jobId", id), events("stalled").get(0));
  }

  @Test
  void nodeGetWorkersListsAJavaWorker() {
    try (JavaWork java = new JavaWork(client, queue, null, 1, "java-listed")) {
      String b64 = Base64.getEncoder().encodeToString(queue.getBytes(StandardCharsets.UTF_8));
      String rawName = "bull:" + b64 + ":w:java-listed";
      JsonNode listed = Await.until(WAIT, () -> {
        for (JsonNode w : node.getWorkers(queue)) {
          if (rawName.equals(w.path("rawname").asText())) {
            return w;
          }
        }
        return null;
      }, "Node's getWorkers to list " + rawName);
      assertEquals(queue, listed.get("name").asText());
      assertNotEquals("", listed.path("addr").asText());
      assertTrue(java.worker().isRunning());
    }
  }
}
