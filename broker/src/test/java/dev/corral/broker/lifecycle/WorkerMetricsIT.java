package dev.corral.broker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobMetrics;
import dev.corral.broker.JobState;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.ScriptDriver;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Worker metrics (BullMQ's {@code metrics: {maxDataPoints}}): what each finish writes to
 * {@code P metrics:completed|failed} and its {@code :data} list, on a clock the test moves by whole minutes,
 * and what {@link Queue#getMetrics} reads back. The same writes by a Node worker are compared in
 * {@code WorkerStateInteropIT.workerMetricsAcrossMinutes}.
 */
class WorkerMetricsIT {

  /** 12:00:10.000 on a minute boundary plus 10 s, so moving by whole minutes never crosses two. */
  private static final long NOW = 1_795_315_200_000L + 10_000;
  private static final long MINUTE = 60_000;
  private static final MutableClock CLOCK = new MutableClock(NOW);
  private static BrokerClient client;
  private static RedisProbe probe;
  private Queue queue;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(CLOCK);
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void newQueue() {
    CLOCK.set(NOW);
    queue = client.queue(RedisTestSupport.uniqueQueueName("metrics"));
  }

  private JobLifecycle lifecycle(int maxDataPoints) {
    return new JobLifecycle(client, queue.keys(), maxDataPoints);
  }

  /** Adds a job, takes it and completes it (or fails it for good) through {@code lifecycle}. */
  private void finishOne(JobLifecycle lifecycle, boolean complete) {
    new ScriptDriver(queue).addTakeAndFinish(lifecycle, complete, KeepJobs.all());
  }

  private Map<String, String> counts(String state) {
    return probe.hash(queue.keys().key("metrics:" + state));
  }

  private List<String> data(String state) {
    return probe.list(queue.keys().key("metrics:" + state + ":data"));
  }

  @Test
  void theFirstFinishStartsTheClockAndFinishesInTheSameMinuteOnlyCount() {
    JobLifecycle lifecycle = lifecycle(60);
    finishOne(lifecycle, true);
    assertEquals(Map.of("count", "1", "prevTS", String.valueOf(NOW), "prevCount", "0"), counts("completed"));
    CLOCK.advance(40_000); // 12:00:50, the same minute
    finishOne(lifecycle, true);
    finishOne(lifecycle, true);
    assertEquals(Map.of("count", "3", "prevTS", String.valueOf(NOW), "prevCount", "0"), counts("completed"));
    assertEquals(List.of(), data("completed"));
  }

  @Test
  void aFinishMinutesLaterPushesTheJobsOfThePreviousMinuteThenAZeroPerQuietMinute() {
    JobLifecycle lifecycle = lifecycle(60);
    for (int i = 0; i < 3; i++) {
      finishOne(lifecycle, true);
    }
    CLOCK.advance(3 * MINUTE);
    finishOne(lifecycle, true);
    // the 3 jobs before this one, then two quiet minutes: the zeros end on the head (newest first)
    assertEquals(List.of("0", "0", "3"), data("completed"));
    assertEquals(Map.of("count", "4", "prevTS", String.valueOf(NOW + 3 * MINUTE), "prevCount", "3"),
        counts("completed"));
    CLOCK.advance(MINUTE);
    finishOne(lifecycle, true);
    assertEquals(List.of("1", "0", "0", "3"), data("completed"));

    JobMetrics read = queue.getMetrics(JobState.COMPLETED, 0, -1);
    assertEquals(new JobMetrics(5, NOW + 4 * MINUTE, 4, List.of(1L, 0L, 0L, 3L), 4), read);
    assertEquals(List.of(0L, 0L), queue.getMetrics(JobState.COMPLETED, 1, 2).data());
    assertEquals(4, queue.getMetrics(JobState.COMPLETED, 1, 2).dataPoints());
  }

  @Test
  void aLongQuietSpellPushesAtMostMaxDataPointsAndTheListIsTrimmedToThem() {
    JobLifecycle lifecycle = lifecycle(5);
    finishOne(lifecycle, true);
    finishOne(lifecycle, true);
    CLOCK.advance(100 * MINUTE);
    finishOne(lifecycle, true);
    assertEquals(List.of("0", "0", "0", "0", "2"), data("completed"));
    CLOCK.advance(2 * MINUTE);
    finishOne(lifecycle, true);
    assertEquals(List.of("0", "1", "0", "0", "0"), data("completed"));
    assertEquals("3", counts("completed").get("prevCount"));
  }

  @Test
  void finalFailuresAreCountedApartFromCompletionsAndRetriesAreNotCounted() {
    JobLifecycle lifecycle = lifecycle(60);
    finishOne(lifecycle, false);
    finishOne(lifecycle, false);
    String retried = queue.add("m", Map.of());
    lifecycle.fetch(new FetchRequest("tok", 30_000, 0, 0, ""));
    lifecycle.retry(retried, "tok", "again", "[]", false);
    lifecycle.fetch(new FetchRequest("tok", 30_000, 0, 0, ""));
    lifecycle.moveToDelayed(retried, "tok", 1000, "later", "[]", false);
    assertEquals("2", counts("failed").get("count"));
    assertEquals(Map.of(), counts("completed"));
    assertEquals(new JobMetrics(0, 0, 0, List.of(), 0), queue.getMetrics(JobState.COMPLETED, 0, -1));
  }

  @Test
  void aWorkerWithoutMetricsWritesNone() {
    finishOne(lifecycle(0), true);
    finishOne(lifecycle(0), false);
    assertEquals(Map.of(), counts("completed"));
    assertEquals(Map.of(), counts("failed"));
    assertFalse(probe.exists(queue.keys().key("metrics:completed:data")));
  }

  @Test
  void onlyFinishedStatesHaveMetricsAndNegativeDataPointsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> queue.getMetrics(JobState.WAITING, 0, -1));
    assertEquals("state must be completed or failed, was waiting", e.getMessage());
    IllegalArgumentException points = assertThrows(IllegalArgumentException.class, () -> lifecycle(-1));
    assertEquals(true, points.getMessage().contains("metricsMaxDataPoints"), points.getMessage());
  }
}
