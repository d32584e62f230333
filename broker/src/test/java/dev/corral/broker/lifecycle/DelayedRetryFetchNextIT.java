package dev.corral.broker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retry with backoff that takes the next job in the same call (BullMQ's moveToDelayed with fetch next): the
 * job taken comes back with its lock, and the delay marker is set only when no job was taken.
 */
class DelayedRetryFetchNextIT {

  private static final long NOW = 1_795_315_200_000L;
  private static final MutableClock CLOCK = new MutableClock(NOW);
  private static BrokerClient client;
  private static RedisProbe probe;
  private Queue queue;
  private JobLifecycle lifecycle;

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
    queue = client.queue(RedisTestSupport.uniqueQueueName("retrynext"));
    lifecycle = new JobLifecycle(client, queue.keys());
  }

  private String takeFirst() {
    return lifecycle.fetch(new FetchRequest("t1", 30_000, 0, 0, "")).job().id();
  }

  @Test
  void theNextJobIsTakenWithItsLockAndNoDelayMarkerIsSet() {
    String failing = queue.add("a", Map.of());
    String next = queue.add("b", Map.of());
    assertEquals(failing, takeFirst());
    client.redisson().getScoredSortedSet(queue.keys().marker()).clear();

    FetchResult taken = lifecycle.moveToDelayed(failing, "t1", 5_000, "boom", "[]", false,
        new FetchRequest("t2", 30_000, 0, 0, "w"));

    assertEquals(next, taken.job().id());
    assertEquals("t2", probe.string(queue.keys().lock(next)));
    assertEquals(JobState.DELAYED, queue.getState(failing));
    assertEquals(List.of(next), probe.list(queue.keys().active()));
    // the fetch re-adds the base marker as every fetch does; the delay marker "1" is left out
    assertEquals(List.of("0"), probe.zset(queue.keys().marker()).stream().map(Map.Entry::getKey).toList());
    assertEquals("1", probe.hash(queue.keys().job(failing)).get("atm"));
  }

  @Test
  void withNothingToTakeTheDelayMarkerIsSetAndNothingIsReturned() {
    String failing = queue.add("a", Map.of());
    assertEquals(failing, takeFirst());
    client.redisson().getScoredSortedSet(queue.keys().marker()).clear();

    assertNull(lifecycle.moveToDelayed(failing, "t1", 5_000, "boom", "[]", false,
        new FetchRequest("t2", 30_000, 0, 0, "w")));

    List<Map.Entry<String, Double>> marker = probe.zset(queue.keys().marker());
    assertEquals(1, marker.size(), marker.toString());
    assertEquals("1", marker.get(0).getKey());
    assertEquals(NOW + 5_000, Math.floor(marker.get(0).getValue()));
    assertEquals(JobState.DELAYED, queue.getState(failing));
  }
}
