package dev.corral.broker.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.Queue;
import dev.corral.broker.support.Json;
import dev.corral.broker.redis.LocalRedisServer;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueEventsIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;
  private final List<QueueEvents> opened = new ArrayList<>();
  private Queue queue;

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("qe"));
  }

  @AfterEach
  void closeReaders() {
    opened.forEach(QueueEvents::close);
  }

  private QueueEvents reader(QueueEventsOptions options) {
    QueueEvents qe = QueueEvents.create(client, queue.name(), options);
    opened.add(qe);
    return qe;
  }

  private static QueueEvent next(BlockingQueue<QueueEvent> seen) throws InterruptedException {
    QueueEvent e = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "no event within 10 s");
    return e;
  }

  @Test
  void eventsOfAddsPauseResumeAndProgressArriveTyped() throws Exception {
    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults()).addListener(seen::add).start();

    String id = queue.add("email", Map.of("to", "a@b.c"));
    queue.add("later", null, JobOptions.builder().delay(60_000).build());
    queue.pause();
    queue.resume();
    queue.updateProgress(id, Map.of("pct", 40));

    QueueEvent added = next(seen);
    assertEquals(EventType.ADDED, added.type());
    assertEquals(id, added.jobId());
    assertEquals("email", added.jobName().orElseThrow());
    QueueEvent waiting = next(seen);
    assertEquals(EventType.WAITING, waiting.type());
    assertTrue(waiting.prev().isEmpty());
    assertEquals(EventType.ADDED, next(seen).type());
    QueueEvent delayed = next(seen);
    assertEquals(EventType.DELAYED, delayed.type());
    Job later = queue.getJob(delayed.jobId()).orElseThrow();
    assertEquals(later.timestamp() + 60_000, delayed.delay().getAsLong());
    QueueEvent paused = next(seen);
    assertEquals(EventType.PAUSED, paused.type());
    assertNull(paused.jobId());
    assertEquals(EventType.RESUMED, next(seen).type());
    QueueEvent progress = next(seen);
    assertEquals(EventType.PROGRESS, progress.type());
    assertEquals(Json.parseLenient("{\"pct\":40}"), progress.progress().orElseThrow());
    assertEquals(progress.id(), awaitLastEventId(progress.id()));
    assertTrue(progress.timestampMillis() > 0);
  }

  @Test
  void aTypedListenerGetsOnlyItsType() throws Exception {
    BlockingQueue<QueueEvent> added = new LinkedBlockingQueue<>();
    BlockingQueue<QueueEvent> all = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults()).addListener(EventType.ADDED, added::add).addListener(all::add).start();

    queue.add("a", null);
    queue.pause();
    queue.add("b", null);

    assertEquals("a", next(added).jobName().orElseThrow());
    assertEquals("b", next(added).jobName().orElseThrow());
    List<EventType> types = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      types.add(next(all).type());
    }
    assertEquals(List.of(EventType.ADDED, EventType.WAITING, EventType.PAUSED, EventType.ADDED, EventType.WAITING),
        types);
    assertTrue(added.isEmpty());
  }

  @Test
  void resumingFromAStreamIdDeliversOnlyLaterEvents() throws Exception {
    queue.add("before-1", null);
    queue.add("before-2", null);
    List<Map<String, String>> stored = probe.stream(queue.keys().events());
    assertEquals(4, stored.size());
    String resumeAfter = client.redisson().<String, String>getStream(queue.keys().events())
        .rangeReversed(1, org.redisson.api.stream.StreamMessageId.MAX, org.redisson.api.stream.StreamMessageId.MIN)
        .keySet().iterator().next().toString();
    queue.add("after", null);

    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults().startAfter(resumeAfter)).addListener(seen::add).start();

    QueueEvent first = next(seen);
    assertEquals("after", first.jobName().orElseThrow());
    assertEquals(EventType.WAITING, next(seen).type());
    assertNull(seen.poll(1500, TimeUnit.MILLISECONDS));

    BlockingQueue<QueueEvent> everything = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults().startAfter("0-0")).addListener(everything::add).start();
    assertEquals("before-1", next(everything).jobName().orElseThrow());
  }

  @Test
  void closeStopsDeliveryPromptlyAndIsIdempotent() throws Exception {
    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    QueueEvents qe = reader(QueueEventsOptions.defaults().withBlockSeconds(10)).addListener(seen::add).start();
    queue.add("one", null);
    assertEquals(EventType.ADDED, next(seen).type());
    assertEquals(EventType.WAITING, next(seen).type());
    Thread.sleep(200); // the reader is now blocked in XREAD for up to 10 s

    long t0 = System.nanoTime();
    qe.close();
    long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    qe.close();

    assertTrue(closeMs < 2000, "close took " + closeMs + " ms");
    assertFalse(qe.isRunning());
    queue.add("two", null);
    assertNull(seen.poll(1500, TimeUnit.MILLISECONDS));
    assertThrows(IllegalStateException.class, qe::start);
  }

  @Test
  void aThrowingListenerDoesNotStopTheReader() throws Exception {
    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults())
        .addListener(e -> {
          throw new IllegalStateException("listener bug on " + e.event());
        })
        .addListener(seen::add)
        .start();

    queue.add("a", null);
    queue.add("b", null);

    assertEquals("a", next(seen).jobName().orElseThrow());
    next(seen);
    assertEquals("b", next(seen).jobName().orElseThrow());
  }

  @Test
  void theReaderUsesItsOwnConnectionNamedLikeBullmq() throws Exception {
    BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
    reader(QueueEventsOptions.defaults()).addListener(seen::add).start();
    queue.add("a", null);
    next(seen);

    assertTrue(probe.clientNames().contains(queue.keys().queueEventsClientName()),
        "CLIENT LIST should show " + queue.keys().queueEventsClientName());
  }

  @Test
  void aRestartedRedisIsRetriedWithBackoffAndReadingResumes() throws Exception {
    LocalRedisServer server = LocalRedisServer.start(null, 0);
    int port = server.port();
    try (BrokerClient own = BrokerClient.connect(server.url())) {
      Queue q = own.queue(queue.name());
      BlockingQueue<QueueEvent> seen = new LinkedBlockingQueue<>();
      QueueEvents qe = QueueEvents.create(own, q.name(), QueueEventsOptions.defaults()
          .withBlockSeconds(1).withRetryDelays(Duration.ofMillis(100), Duration.ofMillis(400)));
      opened.add(qe);
      qe.addListener(seen::add).start();
      q.add("before", null);
      assertEquals("before", next(seen).jobName().orElseThrow());

      server.close();
      Thread.sleep(2500);
      long failures = qe.consecutiveFailures();
      assertTrue(failures >= 1, "the reader should have noticed the outage");
      // 100, 200, 400, 400, ... ms pauses: a busy loop would fail hundreds of times in 2.5 s
      assertTrue(failures <= 12, "too many attempts in 2.5 s: " + failures);

      server = LocalRedisServer.start(null, port);
      awaitRecovery(qe);
      own.queue(q.name()).add("after", null);
      QueueEvent e = next(seen);
      while (e.type() != EventType.ADDED) {
        e = next(seen);
      }
      assertEquals("after", e.jobName().orElseThrow());
    } finally {
      server.close();
    }
  }

  private static void awaitRecovery(QueueEvents qe) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (qe.consecutiveFailures() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, qe.consecutiveFailures(), "the reader did not reconnect");
  }

  private String awaitLastEventId(String expected) throws InterruptedException {
    QueueEvents qe = opened.get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!expected.equals(qe.lastEventId()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return qe.lastEventId();
  }
}
