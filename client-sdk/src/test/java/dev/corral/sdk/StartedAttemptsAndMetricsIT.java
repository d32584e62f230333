package dev.corral.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobMetrics;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.sdk.internal.JobRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker options {@code maxStartedAttempts} and {@code metrics} against a real Redis: a job started too often
 * fails without running the processor and stops being retried; a worker with metrics counts its final finishes
 * in BullMQ's {@code metrics:*} keys. (The per-minute data points are covered in the broker's WorkerMetricsIT.)
 */
class StartedAttemptsAndMetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;
  private Queue queue;
  private final List<Worker<?>> workers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("started"));
  }

  @AfterEach
  void closeWorkers() {
    workers.forEach(w -> w.close(Duration.ofSeconds(5)));
  }

  private <R> void worker(Processor<R> processor, WorkerOptions.Builder options) {
    workers.add(Worker.create(client, queue.name(), processor, options.build()));
  }

  private JobState awaitFinal(String id) {
    return Await.finished(queue, id, WAIT);
  }

  @Test
  void aJobStartedMoreOftenThanAllowedFailsWithoutRunningTheProcessor() {
    String id = queue.add("d", null, JobOptions.builder().attempts(3).build());
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> {
      calls.incrementAndGet();
      throw new DelayJobException(50); // started again later without an attempt counted
    }, WorkerOptions.builder().maxStartedAttempts(1));

    assertEquals(JobState.FAILED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals(JobRunner.STARTED_TOO_OFTEN, job.failedReason());
    assertEquals(1, calls.get());
    assertEquals(2, job.attemptsStarted());
    assertEquals(1, job.attemptsMade()); // unrecoverable: attempts left, no retry
    assertEquals(List.of("added", "waiting", "active", "delayed", "waiting", "active", "failed"),
        probe.eventNames(queue.keys().events()).stream().filter(e -> !e.equals("drained")).toList());
  }

  @Test
  void retriesStopOnceTheJobWasStartedMaxStartedAttemptsTimes() {
    String id = queue.add("r", null, JobOptions.builder().attempts(5).build());
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> {
      throw new IllegalStateException("boom " + calls.incrementAndGet());
    }, WorkerOptions.builder().maxStartedAttempts(2));

    assertEquals(JobState.FAILED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals("boom 2", job.failedReason());
    assertEquals(2, calls.get());
    assertEquals(2, job.attemptsMade());
    assertEquals(2, job.attemptsStarted());
  }

  @Test
  void withoutALimitAJobIsRetriedUntilItsAttemptsAreUsed() {
    String id = queue.add("r", null, JobOptions.builder().attempts(3).build());
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> {
      throw new IllegalStateException("boom " + calls.incrementAndGet());
    }, WorkerOptions.builder());

    assertEquals(JobState.FAILED, awaitFinal(id));
    assertEquals(3, calls.get());
    assertEquals(3, queue.getJob(id).orElseThrow().attemptsStarted());
  }

  @Test
  void aWorkerWithMetricsCountsItsFinalFinishes() {
    List<String> ids = List.of(queue.add("ok", Map.of()), queue.add("ok", Map.of()), queue.add("ok", Map.of()),
        queue.add("bad", Map.of(), JobOptions.builder().attempts(2).build()));
    worker(ctx -> {
      if (ctx.job().name().equals("bad")) {
        throw new IllegalStateException("nope");
      }
      return 1;
    }, WorkerOptions.builder().metrics(WorkerOptions.METRICS_ONE_WEEK));

    ids.forEach(this::awaitFinal);
    JobMetrics completed = queue.getMetrics(JobState.COMPLETED, 0, -1);
    JobMetrics failed = queue.getMetrics(JobState.FAILED, 0, -1);
    assertEquals(3, completed.count());
    assertEquals(1, failed.count()); // its retry is not counted
    assertEquals(0, completed.prevCount());
    long start = completed.prevTs();
    Job first = queue.getJob(ids.get(0)).orElseThrow();
    assertEquals(start, (long) first.finishedOn()); // the first finish started the clock
    assertEquals(String.valueOf(start), probe.hash(queue.keys().key("metrics:completed")).get("prevTS"));
  }
}
