package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.Queue;
import dev.corral.broker.events.EventType;
import dev.corral.broker.events.QueueEvent;
import dev.corral.broker.events.QueueEvents;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node's QueueEvents reads what Corral writes, and Corral's QueueEvents reads what Node writes. */
class EventsInteropIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;
  private Queue queue;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("events"));
  }

  @Test
  void nodeQueueEventsSeesCorralAddsPauseAndResume() {
    try (NodeProcess events = node.events(queue.name(), 9, Duration.ofSeconds(20))) {
      String std = queue.add("email", Map.of("to", "x"));
      String delayed = queue.add("later", null, JobOptions.builder().delay(45_000).build());
      queue.pause();
      queue.resume();
      String custom = queue.add("custom", null, JobOptions.builder().jobId("c-1").build());
      queue.add("custom", null, JobOptions.builder().jobId("c-1").build());
      queue.updateProgress(std, Map.of("pct", 5));

      JsonNode done = events.awaitType("done", Duration.ofSeconds(20));
      assertFalse(done.get("timedOut").asBoolean(), "Node saw only " + done);
      List<String> names = new ArrayList<>();
      done.get("events").forEach(e -> names.add(e.get("event").asText()));
      assertEquals(List.of("added", "waiting", "added", "delayed", "paused", "resumed", "added", "waiting",
          "duplicated"), names);
      JsonNode ev = done.get("events");
      assertEquals(Json.parseLenient("{\"jobId\":\"" + std + "\",\"name\":\"email\"}"), ev.get(0).get("args"));
      Job later = queue.getJob(delayed).orElseThrow();
      // Node's QueueEvents turns the due time into a number
      assertEquals(later.timestamp() + 45_000, ev.get(3).get("args").get("delay").asLong());
      assertEquals(custom, ev.get(8).get("args").get("jobId").asText());
    }
  }

  @Test
  void nodeQueueEventsParsesCorralProgressAsJson() {
    String id = queue.add("p", null);
    try (NodeProcess events = node.events(queue.name(), 1, Duration.ofSeconds(20))) {
      queue.updateProgress(id, Map.of("pct", 55, "stage", "io"));
      JsonNode e = events.awaitType("event", Duration.ofSeconds(20));
      assertEquals("progress", e.get("event").asText());
      assertEquals(Json.parseLenient("{\"jobId\":\"" + id + "\",\"data\":{\"pct\":55,\"stage\":\"io\"}}"),
          e.get("args"));
    }
  }

  @Test
  void corralQueueEventsSeesNodeAddsAndAdminEvents() throws Exception {
    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    try (QueueEvents qe = QueueEvents.create(client, queue.name()).addListener(seen::add).start()) {
      node.runSteps(queue.name(), InteropSteps.parse("""
          [{"op":"add","name":"a","data":{"n":1}},
           {"op":"add","name":"d","data":{},"opts":{"delay":30000}},
           {"op":"pause"},
           {"op":"resume"},
           {"op":"add","name":"p","data":{},"opts":{"jobId":"pj"}},
           {"op":"updateProgress","id":"pj","progress":{"pct":7}}]"""));

      List<QueueEvent> events = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        QueueEvent e = seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "only " + events + " arrived");
        events.add(e);
      }
      assertEquals(List.of(EventType.ADDED, EventType.WAITING, EventType.ADDED, EventType.DELAYED, EventType.PAUSED,
          EventType.RESUMED, EventType.ADDED, EventType.WAITING, EventType.PROGRESS),
          events.stream().map(QueueEvent::type).toList());
      assertEquals("a", events.get(0).jobName().orElseThrow());
      Job d = queue.getJob(events.get(3).jobId()).orElseThrow();
      assertEquals(d.timestamp() + 30_000, events.get(3).delay().getAsLong());
      assertEquals("pj", events.get(8).jobId());
      assertEquals(Json.parseLenient("{\"pct\":7}"), events.get(8).progress().orElseThrow());
      assertEquals(events.get(8).id(), qe.lastEventId());
    }
  }

  @Test
  void corralQueueEventsSeesANodeWorkerFinishJobs() throws Exception {
    BlockingQueue<QueueEvent> finished = new LinkedBlockingQueue<>();
    try (QueueEvents qe = QueueEvents.create(client, queue.name())
        .addListener(EventType.COMPLETED, finished::add)
        .addListener(EventType.FAILED, finished::add)
        .addListener(EventType.RETRIES_EXHAUSTED, finished::add)
        .start()) {
      String ok = queue.add("ok", Map.of("behaviour", Map.of("returnValue", Map.of("v", 42))));
      String bad = queue.add("bad", Map.of("behaviour", Map.of("fail", "broken")),
          JobOptions.builder().attempts(1).build());
      try (NodeProcess worker = node.work(queue.name(), Map.of("count", 2))) {
        worker.awaitType("done", Duration.ofSeconds(30));
      }

      QueueEvent completed = finished.poll(10, TimeUnit.SECONDS);
      assertNotNull(completed);
      assertEquals(EventType.COMPLETED, completed.type());
      assertEquals(ok, completed.jobId());
      assertEquals(Json.parseLenient("{\"v\":42}"), completed.returnValue().orElseThrow());
      assertEquals("active", completed.prev().orElseThrow());
      // BullMQ writes failed first, then retries-exhausted
      QueueEvent failed = finished.poll(10, TimeUnit.SECONDS);
      assertNotNull(failed);
      assertEquals(EventType.FAILED, failed.type());
      assertEquals(bad, failed.jobId());
      QueueEvent exhausted = finished.poll(10, TimeUnit.SECONDS);
      assertNotNull(exhausted);
      assertEquals(EventType.RETRIES_EXHAUSTED, exhausted.type());
      assertEquals(bad, exhausted.jobId());
      assertEquals(1, exhausted.attemptsMade().getAsInt());
      assertEquals("broken", failed.failedReason().orElseThrow());
    }
  }
}
