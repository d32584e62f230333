package dev.corral.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.Backoff;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerIT {

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
    queue = client.queue(RedisTestSupport.uniqueQueueName("worker"));
  }

  @AfterEach
  void closeWorkers() {
    workers.forEach(w -> w.close(Duration.ofSeconds(5)));
  }

  private <R> Worker<R> worker(Processor<R> processor, WorkerOptions.Builder options) {
    Worker<R> w = Worker.create(client, queue.name(), processor, options.build());
    workers.add(w);
    return w;
  }

  private JobState awaitFinal(String id) {
    return Await.finished(queue, id, WAIT);
  }

  @Test
  void aJobIsProcessedAndStoredAsBullmqStoresIt() {
    String id = queue.add("email", Map.of("n", 1));
    worker(ctx -> Map.of("ok", true, "n", ctx.job().data().get("n").asInt()),
        WorkerOptions.builder().name("javaCompat1"));

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    Map<String, String> hash = probe.hash(queue.keys().job(id));
    assertEquals("{\"ok\":true,\"n\":1}".length(), hash.get("returnvalue").length());
    assertEquals("1", hash.get("atm"));
    assertEquals("1", hash.get("ats"));
    assertEquals("javaCompat1", hash.get("pb"));
    assertTrue(Long.parseLong(hash.get("finishedOn")) >= Long.parseLong(hash.get("processedOn")));
    assertFalse(probe.exists(queue.keys().lock(id)));
    assertEquals(List.of(), probe.list(queue.keys().active()));
    Await.until(WAIT, () -> probe.eventNames(queue.keys().events()).contains("drained"));
    assertEquals(List.of("added", "waiting", "active", "completed", "drained"),
        probe.eventNames(queue.keys().events()));
  }

  @Test
  void failedAttemptsRetryWithExponentialBackoffThenSucceed() {
    String id = queue.add("flaky", null, JobOptions.builder().attempts(3).backoff(Backoff.exponential(100)).build());
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("boom attempt " + calls.get());
      }
      return "done";
    }, WorkerOptions.builder());

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals(3, job.attemptsMade());
    assertEquals(3, job.attemptsStarted());
    assertEquals("boom attempt 2", job.failedReason());
    assertEquals(2, job.stacktrace().size());
    List<Map<String, String>> delayed = probe.stream(queue.keys().events()).stream()
        .filter(e -> e.get("event").equals("delayed")).toList();
    assertEquals(2, delayed.size());
    assertFalse(probe.eventNames(queue.keys().events()).contains("failed"));
  }

  @Test
  void exhaustedRetriesFailTheJobAndEmitRetriesExhausted() {
    String id = queue.add("bad", null, JobOptions.builder().attempts(2).build());
    worker(ctx -> {
      throw new IllegalStateException("nope");
    }, WorkerOptions.builder());

    assertEquals(JobState.FAILED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals("nope", job.failedReason());
    assertEquals(2, job.attemptsMade());
    List<String> names = probe.eventNames(queue.keys().events());
    assertEquals(List.of("added", "waiting", "active", "waiting", "active", "failed", "retries-exhausted"),
        names.subList(0, 7));
    Map<String, String> exhausted = probe.stream(queue.keys().events()).get(6);
    assertEquals("2", exhausted.get("attemptsMade"));
  }

  @Test
  void anUnrecoverableErrorSkipsRetriesWithoutRetriesExhausted() {
    String id = queue.add("bad", null, JobOptions.builder().attempts(3).build());
    worker(ctx -> {
      throw new UnrecoverableJobException("give up");
    }, WorkerOptions.builder());

    assertEquals(JobState.FAILED, awaitFinal(id));
    assertEquals(1, queue.getJob(id).orElseThrow().attemptsMade());
    assertFalse(probe.eventNames(queue.keys().events()).contains("retries-exhausted"));
  }

  @Test
  void progressAndLogsAreStored() {
    String id = queue.add("p", null, JobOptions.builder().keepLogs(2).build());
    worker(ctx -> {
      ctx.updateProgress(50);
      ctx.log("one");
      ctx.log("two");
      ctx.log("three");
      return null;
    }, WorkerOptions.builder());

    awaitFinal(id);
    Job job = queue.getJob(id).orElseThrow();
    assertEquals(50, job.progress().asInt());
    assertEquals(List.of("two", "three"), probe.list(queue.keys().logs(id)));
    assertTrue(probe.stream(queue.keys().events()).contains(Map.of("event", "progress", "jobId", id, "data", "50")));
  }

  @Test
  void removeOnCompleteKeepsOnlyTheNewestJobs() {
    for (int i = 0; i < 4; i++) {
      queue.add("r", null, JobOptions.builder().removeOnComplete(KeepJobs.count(2)).build());
    }
    worker(ctx -> null, WorkerOptions.builder());

    Await.until(WAIT, () -> queue.getJobCount(JobState.WAITING) == 0 && queue.getJobCount(JobState.ACTIVE) == 0);
    Await.until(WAIT, () -> probe.zset(queue.keys().completed()).size() == 2);
    assertFalse(probe.exists(queue.keys().job("1")));
    assertFalse(probe.exists(queue.keys().job("2")));
    assertTrue(probe.exists(queue.keys().job("4")));
  }

  @Test
  void plainJobsRunBeforePrioritizedOnesAndLowerPriorityFirst() {
    queue.add("p5", null, JobOptions.builder().priority(5).build());
    queue.add("p1", null, JobOptions.builder().priority(1).build());
    queue.add("plain", null);
    queue.add("lifo", null, JobOptions.builder().lifo(true).build());
    List<String> order = new CopyOnWriteArrayList<>();
    worker(ctx -> order.add(ctx.job().name()), WorkerOptions.builder());

    Await.until(WAIT, () -> order.size() == 4);
    assertEquals(List.of("lifo", "plain", "p1", "p5"), order);
  }

  @Test
  void aPausedQueueIsNotProcessedUntilResumed() throws InterruptedException {
    queue.pause();
    String id = queue.add("x", null);
    worker(ctx -> "ok", WorkerOptions.builder());
    Thread.sleep(300);
    assertEquals(JobState.WAITING, queue.getState(id));

    queue.resume();
    assertEquals(JobState.COMPLETED, awaitFinal(id));
  }

  @Test
  void delayedJobsRunWhenDue() {
    long start = System.currentTimeMillis();
    String id = queue.add("later", null, JobOptions.builder().delay(700).build());
    worker(ctx -> null, WorkerOptions.builder());

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    long processedOn = queue.getJob(id).orElseThrow().processedOn();
    assertTrue(processedOn - start >= 700, "ran after " + (processedOn - start) + " ms");
    assertEquals(0, queue.getJob(id).orElseThrow().delay());
  }

  @Test
  void concurrencyRunsThatManyJobsAtOnce() {
    for (int i = 0; i < 10; i++) {
      queue.add("c", null);
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    worker(ctx -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      Thread.sleep(150);
      running.decrementAndGet();
      return null;
    }, WorkerOptions.builder().concurrency(5));

    Await.until(WAIT, () -> queue.getJobCount(JobState.COMPLETED) == 10);
    assertEquals(5, maxRunning.get());
  }

  @Test
  void locksAreRenewedForJobsLongerThanTheLockDuration() {
    String id = queue.add("long", null);
    worker(ctx -> {
      Thread.sleep(1500);
      return ctx.isCancelled() ? "cancelled" : "ok";
    }, WorkerOptions.builder().lockDuration(Duration.ofMillis(500)).stalledInterval(Duration.ofMillis(200)));

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals("ok", job.returnValue().asText());
    assertEquals(0, job.stalledCounter());
  }

  @Test
  void aJobWhoseWorkerDiedIsRecoveredByTheStalledCheck() {
    String id = queue.add("s", null);
    var crashed = new dev.corral.broker.lifecycle.JobLifecycle(client, queue.keys());
    Job taken = crashed.fetch(new dev.corral.broker.lifecycle.FetchRequest("crash-token", 300, 0, 0, "crashy")).job();
    assertEquals(id, taken.id());

    worker(ctx -> "recovered", WorkerOptions.builder().stalledInterval(Duration.ofMillis(400)));

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals(1, job.stalledCounter());
    assertEquals("recovered", job.returnValue().asText());
    assertTrue(probe.eventNames(queue.keys().events()).contains("stalled"));
  }

  @Test
  void aDeferredFailureFailsWithoutRunningTheProcessor() {
    String id = queue.add("d", null);
    client.redisson().getMap(queue.keys().job(id), org.redisson.client.codec.StringCodec.INSTANCE)
        .put("defa", "job stalled more than allowable limit");
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> calls.incrementAndGet(), WorkerOptions.builder());

    assertEquals(JobState.FAILED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals("job stalled more than allowable limit", job.failedReason());
    assertNull(job.deferredFailure());
    assertEquals(0, calls.get());
  }

  @Test
  void aProcessorCanDelayItsJobWithoutCountingAnAttempt() {
    String id = queue.add("d", null);
    AtomicInteger calls = new AtomicInteger();
    worker(ctx -> {
      if (calls.incrementAndGet() == 1) {
        throw new DelayJobException(200);
      }
      return "second";
    }, WorkerOptions.builder());

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    assertEquals(1, queue.getJob(id).orElseThrow().attemptsMade());
    assertEquals(2, calls.get());
  }

  @Test
  void theWorkerRateLimiterSpacesJobs() {
    for (int i = 0; i < 4; i++) {
      queue.add("r", null);
    }
    List<Long> starts = new CopyOnWriteArrayList<>();
    worker(ctx -> starts.add(System.currentTimeMillis()),
        WorkerOptions.builder().concurrency(4).limiter(2, Duration.ofMillis(1000)));

    Await.until(WAIT, () -> starts.size() == 4);
    assertTrue(starts.get(3) - starts.get(0) >= 900, "4 jobs in " + (starts.get(3) - starts.get(0)) + " ms");
  }

  @Test
  void closeWaitsForActiveJobs() throws InterruptedException {
    String id = queue.add("slow", null);
    Worker<String> w = worker(ctx -> {
      Thread.sleep(500);
      return "finished";
    }, WorkerOptions.builder());
    Await.until(WAIT, () -> queue.getState(id) == JobState.ACTIVE);

    assertTrue(w.close(Duration.ofSeconds(5)));
    assertEquals(JobState.COMPLETED, queue.getState(id));
  }

  @Test
  void aRateLimitedProcessorPutsItsJobBackWithoutCountingAnAttempt() {
    String id = queue.add("r", null);
    AtomicInteger calls = new AtomicInteger();
    List<Long> starts = new CopyOnWriteArrayList<>();
    worker(ctx -> {
      starts.add(System.currentTimeMillis());
      if (calls.incrementAndGet() == 1) {
        throw new RateLimitJobException(400);
      }
      return "after the limit";
    }, WorkerOptions.builder().limiter(100, Duration.ofSeconds(1)));

    assertEquals(JobState.COMPLETED, awaitFinal(id));
    Job job = queue.getJob(id).orElseThrow();
    assertEquals(1, job.attemptsMade());
    assertEquals(2, job.attemptsStarted());
    assertTrue(starts.get(1) - starts.get(0) >= 350, "second start after " + (starts.get(1) - starts.get(0)) + " ms");
    assertTrue(probe.stream(queue.keys().events()).contains(Map.of("event", "waiting", "jobId", id, "prev", "active")));
  }

  @Test
  void aFetchThatFailsGivesItsSlotBackSoTheWorkerGoesOnAfterTheFault() {
    AtomicInteger errors = new AtomicInteger();
    // meta of the wrong type makes every fetch script fail (WRONGTYPE) until it is repaired
    client.redisson().getBucket(queue.keys().meta(), org.redisson.client.codec.StringCodec.INSTANCE)
        .set("not a hash");
    Worker<Object> w = worker(ctx -> "done", WorkerOptions.builder().concurrency(1));
    w.addListener(new WorkerListener() {
      @Override
      public void error(Throwable error) {
        errors.incrementAndGet();
      }
    });
    Await.until(WAIT, () -> errors.get() >= 2 ? true : null, "two failed fetches");
    client.redisson().getBucket(queue.keys().meta()).delete();

    String id = queue.add("after-fault", Map.of());
    assertEquals(JobState.COMPLETED, awaitFinal(id));
  }

  @Test
  void aRetryDueWhileAnotherJobRunsIsPromotedAndTakenByThatJobsFinishingCall() {
    AtomicInteger finished = new AtomicInteger();
    List<String> errors = new CopyOnWriteArrayList<>();
    String retried = queue.add("retried", Map.of("fail", true),
        JobOptions.builder().attempts(2).backoff(Backoff.fixed(150)).build());
    String slow = queue.add("slow", Map.of("sleep", 600));
    Worker<Object> w = worker(ctx -> {
      if (ctx.job().data().has("sleep")) {
        Thread.sleep(ctx.job().data().get("sleep").asLong());
      } else if (ctx.job().attemptsMade() == 0) {
        throw new IllegalStateException("first attempt fails");
      }
      return ctx.job().name();
    }, WorkerOptions.builder().concurrency(1).autorun(false));
    // listen before the first fetch: the first attempt fails within milliseconds of the start
    w.addListener(new WorkerListener() {
      @Override
      public void completed(Job job, Object result) {
        finished.incrementAndGet();
      }

      @Override
      public void failed(Job job, Throwable error, boolean willRetry) {
        finished.incrementAndGet();
      }

      @Override
      public void error(Throwable error) {
        errors.add(error.toString());
      }
    });
    w.start();

    assertEquals(JobState.COMPLETED, awaitFinal(slow));
    assertEquals(JobState.COMPLETED, awaitFinal(retried));
    Await.until(WAIT, () -> finished.get() == 3 ? true : null, "three finished attempts, errors " + errors);
    assertEquals(List.of(), errors);
    Map<String, String> hash = probe.hash(queue.keys().job(retried));
    assertEquals("2", hash.get("ats"));
    assertEquals("2", hash.get("atm"));
    assertEquals("0", hash.get("delay"));
  }
}
