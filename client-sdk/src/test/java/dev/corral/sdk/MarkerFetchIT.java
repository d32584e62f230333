package dev.corral.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.redis.LocalRedisServer;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An idle worker on a single Redis blocks on the marker with the fetch queued behind the block on the same
 * connection (MarkerConnection): the fetch runs later than it was written, so its timestamps come from Redis'
 * clock plus the worker clock's offset; pause and close end the block at once.
 */
class MarkerFetchIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static void awaitCompleted(Queue queue, String id, Duration wait, String what) {
    Await.until(wait, () -> queue.getState(id) == JobState.COMPLETED ? Boolean.TRUE : null, what);
  }

  @Test
  void aJobFetchedBehindTheBlockIsStampedWithTheWorkersClockNotTheTimeTheFetchWasWritten() throws Exception {
    Clock hourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    try (BrokerClient client = RedisTestSupport.newClient(hourAhead)) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(5)).build());
      try {
        Thread.sleep(1500); // the worker is blocked on the marker, its fetch written ~1.5 s before the add
        long before = hourAhead.millis();
        String id = queue.add("late", Map.of());
        awaitCompleted(queue, id, WAIT, "completed");
        long after = hourAhead.millis();
        Job job = queue.getJob(id).orElseThrow();
        assertTrue(job.processedOn() >= before - 50 && job.processedOn() <= after + 50,
            "processedOn " + job.processedOn() + " within [" + before + ", " + after + "] of the worker clock");
        assertTrue(job.finishedOn() >= job.processedOn(), "finishedOn after processedOn");
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void aJobAddedTheMomentAFinishFoundTheQueueEmptyStartsAtOnce() throws Exception {
    // after a finish that found nothing, the worker blocks without fetching again: a job added in between must
    // wake it through its marker, not wait for the 10 s drain delay
    try (BrokerClient client = RedisTestSupport.newClient()) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      BlockingQueue<String> finished = new LinkedBlockingQueue<>();
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(10)).build());
      worker.addListener(new WorkerListener() {
        @Override
        public void completed(Job job, Object result) {
          finished.offer(job.id());
        }
      });
      try {
        for (int i = 0; i < 200; i++) {
          String id = queue.add("next", Map.of("i", i));
          long t0 = System.nanoTime();
          String done = finished.poll(3, TimeUnit.SECONDS);
          assertEquals(id, done, "job " + i + " completed within 3 s (took "
              + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        }
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void aDelayedJobStartsWhenDueNotAtTheNextWholeSecond() throws Exception {
    // the block before a delayed job lasts to the millisecond (as BullMQ's): a whole-second block would start a job
    // due in 1.1 s about 900 ms late
    try (BrokerClient client = RedisTestSupport.newClient()) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      BlockingQueue<Long> started = new LinkedBlockingQueue<>();
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> started.offer(System.currentTimeMillis()),
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(5)).build());
      try {
        Thread.sleep(300); // the worker is idle, blocked on the marker
        String id = queue.add("later", Map.of(), dev.corral.broker.JobOptions.builder().delay(1_100).build());
        long due = queue.getJob(id).orElseThrow().timestamp() + 1_100;
        Long at = started.poll(5, TimeUnit.SECONDS);
        assertTrue(at != null, "the delayed job started");
        assertTrue(at >= due - 5 && at <= due + 500, "started " + (at - due) + " ms after its due time");
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void aJobAddedWhileADelayedJobIsDueWithinASecondStartsAtOnce() throws Exception {
    // waiting for a delayed job due soon is a block the marker of a new job ends, not a sleep
    try (BrokerClient client = RedisTestSupport.newClient()) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      BlockingQueue<String> started = new LinkedBlockingQueue<>();
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> started.offer(ctx.job().name()),
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(5)).build());
      try {
        Thread.sleep(300);
        queue.add("soon", Map.of(), dev.corral.broker.JobOptions.builder().delay(900).build());
        Thread.sleep(100); // the worker now waits for "soon", due in ~800 ms
        long t0 = System.nanoTime();
        queue.add("now", Map.of());
        assertEquals("now", started.poll(5, TimeUnit.SECONDS));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 500, "the plain job started " + ms + " ms after its add, before the delayed one was due");
        assertEquals("soon", started.poll(5, TimeUnit.SECONDS));
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void pauseEndsTheBlockSoAJobAddedWhilePausedStaysInWait() throws Exception {
    try (BrokerClient client = RedisTestSupport.newClient()) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      AtomicInteger processed = new AtomicInteger();
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> processed.incrementAndGet(),
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(5)).build());
      try {
        Thread.sleep(500);
        worker.pause();
        Thread.sleep(200);
        String id = queue.add("while-paused", Map.of());
        Thread.sleep(1000);
        assertEquals(JobState.WAITING, queue.getState(id), "a paused worker takes no job");
        assertEquals(0, processed.get());
        worker.resume();
        awaitCompleted(queue, id, WAIT, "completed");
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void aPauseRightAfterStartLetsNoFetchTakeAJobAddedAfterIt() throws Exception {
    // the fetch thread may be anywhere between its check of the pause and its block when pause() runs
    try (BrokerClient client = RedisTestSupport.newClient()) {
      for (int round = 0; round < 40; round++) {
        Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
        Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
            WorkerOptions.builder().drainDelay(Duration.ofSeconds(5)).build());
        try {
          Thread.sleep(round % 8); // pause at different points of the first fetches
          worker.pause();
          String id = queue.add("after-pause", Map.of());
          Thread.sleep(50);
          assertEquals(JobState.WAITING, queue.getState(id), "round " + round + ": a paused worker takes no job");
        } finally {
          worker.close(Duration.ofSeconds(5));
        }
      }
    }
  }

  @Test
  void closingAnIdleWorkerDoesNotWaitForTheBlockToTimeOut() throws Exception {
    try (BrokerClient client = RedisTestSupport.newClient()) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(10)).build());
      Thread.sleep(500);
      long t0 = System.nanoTime();
      assertTrue(worker.close(Duration.ofSeconds(20)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 2000, "closed in " + ms + " ms, not after the 10 s block");
      String id = queue.add("after-close", Map.of());
      Thread.sleep(300);
      assertEquals(JobState.WAITING, queue.getState(id), "a closed worker took a job");
    }
  }

  @Test
  void anIdleWorkerGoesOnAfterRedisRestarts() throws Exception {
    LocalRedisServer server = LocalRedisServer.start(null, 0);
    int port = server.port();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (BrokerClient client = BrokerClient.connect(server.url())) {
      Queue queue = client.queue(RedisTestSupport.uniqueQueueName("marker"));
      Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
          WorkerOptions.builder().drainDelay(Duration.ofSeconds(2)).build());
      worker.addListener(new WorkerListener() {
        @Override
        public void error(Throwable e) {
          errors.add(e);
        }
      });
      try {
        String before = queue.add("before", Map.of());
        awaitCompleted(queue, before, WAIT, "before");
        Thread.sleep(300); // blocked on the marker
        server.close();
        Thread.sleep(1500);
        server = LocalRedisServer.start(null, port); // empty: the queue starts again from nothing
        String after = queue.add("after", Map.of());
        awaitCompleted(queue, after, Duration.ofSeconds(20), "a job added after the restart is processed");
        assertTrue(!errors.isEmpty(), "the outage was reported to the error listener");
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    } finally {
      server.close();
    }
  }
}
