package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** The read-only {@code queueStats} script and queue discovery against real Redis. */
class QueueStatsIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();

  @Test
  void countsPrioritiesAndNamesAgreeWithTheQueue() {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("stats"));
    List<JobRequest> jobs = new ArrayList<>();
    for (int p = 1; p <= 5; p++) {
      for (int i = 0; i < p; i++) {
        jobs.add(new JobRequest("p" + p, Map.of(), JobOptions.builder().priority(p * 100_000).build()));
      }
    }
    jobs.add(new JobRequest("w", Map.of(), JobOptions.defaults()));
    jobs.add(new JobRequest("d", Map.of(), JobOptions.builder().delay(60_000).build()));
    queue.addBulk(jobs);
    queue.setGlobalConcurrency(3);

    QueueStats all = QueueStats.read(client, queue.keys(), 1000, 1000);

    assertEquals(queue.getJobCounts(), all.defaultCounts());
    assertEquals(15, all.count(JobState.PRIORITIZED));
    assertEquals(Map.of(0, 1L, 100_000, 1L, 200_000, 2L, 300_000, 3L, 400_000, 4L, 500_000, 5L), all.priorities());
    assertEquals(List.of(0, 100_000, 200_000, 300_000, 400_000, 500_000), List.copyOf(all.priorities().keySet()));
    assertFalse(all.morePriorities());
    assertEquals(17, all.scanned());
    assertFalse(all.sampled());
    assertEquals("p5", all.names().keySet().iterator().next(), "most frequent first");
    assertEquals(1L, all.names().get("d"));
    assertEquals(3, all.meta().concurrency());
    assertFalse(all.paused());

    QueueStats few = QueueStats.read(client, queue.keys(), 3, 2);
    assertEquals(Map.of(0, 1L, 100_000, 1L), few.priorities());
    assertTrue(few.morePriorities());
    assertEquals(3, few.scanned());
    assertTrue(few.sampled());
    assertEquals(3, few.names().values().stream().mapToLong(Long::longValue).sum());

    QueueStats none = QueueStats.read(client, queue.keys(), 0, 0);
    assertEquals(Map.of(), none.priorities());
    assertEquals(Map.of(), none.names());
    assertThrows(IllegalArgumentException.class, () -> QueueStats.read(client, queue.keys(), -1, 0));
    client.redisson().getKeys().deleteByPattern(queue.keys().base() + "*");
  }

  @Test
  void finishedTotalsAreTheWorkerMetricsCountsOfEachStateThatHasThem() {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("totals"));
    assertEquals(Map.of(), QueueStats.read(client, queue.keys(), 0, 0).finishedTotals());
    JobLifecycle lifecycle = new JobLifecycle(client, queue.keys(), 60);
    ScriptDriver driver = new ScriptDriver(queue);
    for (int i = 0; i < 3; i++) {
      driver.addTakeAndFinish(lifecycle, true, KeepJobs.count(0));
    }
    // completed jobs that were not kept are still counted; no failure yet, so no failed total
    QueueStats stats = QueueStats.read(client, queue.keys(), 0, 0);
    assertEquals(Map.of(JobState.COMPLETED, 3L), stats.finishedTotals());
    assertEquals(0, stats.count(JobState.COMPLETED));
  }

  @Test
  void readingAndDiscoveryWriteNothing() {
    String name = RedisTestSupport.uniqueQueueName("discover");
    QueueKeys keys = QueueKeys.of(name);
    client.redisson().getBucket(keys.id(), StringCodec.INSTANCE).set("3");
    try {
      assertTrue(QueueDirectory.queueNames(client, "bull").contains(name));
      QueueStats stats = QueueStats.read(client, keys, 10, 10);
      assertEquals(0, stats.defaultCounts().values().stream().mapToLong(Long::longValue).sum());
      assertEquals(0, client.redisson().getKeys().countExists(keys.meta()), "no meta written");
    } finally {
      client.redisson().getKeys().delete(keys.id());
    }
  }
}
