package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** Global concurrency, global and manual rate limits, and counts per priority against real Redis. */
class QueueLimitsIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;
  private Queue queue;

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("limits"));
  }

  @Test
  void globalConcurrencyIsStoredInMetaAndHonouredByFetch() {
    queue.setGlobalConcurrency(1);

    assertEquals("1", probe.hash(queue.keys().meta()).get("concurrency"));
    assertEquals(1, queue.getMeta().concurrency());
    queue.add("a", null);
    queue.add("b", null);
    ScriptDriver driver = new ScriptDriver(queue);
    assertEquals("1", driver.take("0"));
    assertNull(driver.take("0"));

    queue.removeGlobalConcurrency();
    assertFalse(probe.hash(queue.keys().meta()).containsKey("concurrency"));
    assertEquals("2", driver.take("0"));
  }

  @Test
  void globalRateLimitIsStoredInMeta() {
    queue.setGlobalRateLimit(10, 1000);

    Map<String, String> meta = probe.hash(queue.keys().meta());
    assertEquals("10", meta.get("max"));
    assertEquals("1000", meta.get("duration"));

    queue.removeGlobalRateLimit();
    meta = probe.hash(queue.keys().meta());
    assertFalse(meta.containsKey("max"));
    assertFalse(meta.containsKey("duration"));
    assertEquals("10000", meta.get("opts.maxLenEvents"));
  }

  @Test
  void rateLimitStoresTheManualMarkerWithAnExpiry() {
    assertEquals(-2, queue.getRateLimitTtl());

    queue.rateLimit(5000);

    assertEquals("9007199254740991", probe.string(queue.keys().limiter()));
    long pttl = probe.pttl(queue.keys().limiter());
    assertTrue(pttl > 4000 && pttl <= 5000, "pttl " + pttl);
    long ttl = queue.getRateLimitTtl();
    assertTrue(ttl > 4000 && ttl <= 5000, "ttl " + ttl);

    queue.removeRateLimitKey();
    assertFalse(probe.exists(queue.keys().limiter()));
  }

  @Test
  void rateLimitTtlIsZeroWhileTheWindowMaximumIsNotReached() {
    queue.setGlobalRateLimit(3, 60_000);
    client.redisson().getBucket(queue.keys().limiter(), StringCodec.INSTANCE)
        .set("2", Duration.ofMillis(60_000));

    assertEquals(0, queue.getRateLimitTtl());
    long reached = queue.getRateLimitTtl(2);
    assertTrue(reached > 59_000 && reached <= 60_000, "ttl " + reached);
  }

  @Test
  void countsPerPriorityReadWaitAndPrioritized() {
    queue.add("w1", null);
    queue.add("w2", null);
    queue.add("p1", null, JobOptions.builder().priority(1).build());
    queue.add("p5a", null, JobOptions.builder().priority(5).build());
    queue.add("p5b", null, JobOptions.builder().priority(5).build());
    queue.add("top", null, JobOptions.builder().priority(JobOptions.MAX_PRIORITY).build());

    Map<Integer, Long> counts = queue.getCountsPerPriority(0, 1, 5, 7, JobOptions.MAX_PRIORITY);

    assertEquals(Map.of(0, 2L, 1, 1L, 5, 2L, 7, 0L, JobOptions.MAX_PRIORITY, 1L), counts);
    assertEquals(Map.of(), queue.getCountsPerPriority());
  }

  @Test
  void invalidArgumentsAreRejectedBeforeAnythingIsWritten() {
    IllegalArgumentException concurrency =
        assertThrows(IllegalArgumentException.class, () -> queue.setGlobalConcurrency(0));
    IllegalArgumentException max = assertThrows(IllegalArgumentException.class, () -> queue.setGlobalRateLimit(0, 10));
    IllegalArgumentException duration =
        assertThrows(IllegalArgumentException.class, () -> queue.setGlobalRateLimit(5, -1));
    IllegalArgumentException ms = assertThrows(IllegalArgumentException.class, () -> queue.rateLimit(0));
    IllegalArgumentException priority =
        assertThrows(IllegalArgumentException.class, () -> queue.getCountsPerPriority(1, 2_097_152));
    assertThrows(IllegalArgumentException.class, () -> queue.getCountsPerPriority((int[]) null));
    assertThrows(IllegalArgumentException.class, () -> queue.getRateLimitTtl(-1));

    assertTrue(concurrency.getMessage().startsWith("concurrency") && concurrency.getMessage().contains("0"));
    assertTrue(max.getMessage().startsWith("max"), max.getMessage());
    assertTrue(duration.getMessage().startsWith("durationMs") && duration.getMessage().contains("-1"));
    assertTrue(ms.getMessage().startsWith("ms"), ms.getMessage());
    assertTrue(priority.getMessage().contains("priorities[1]") && priority.getMessage().contains("2097152"));
    Map<String, String> meta = probe.hash(queue.keys().meta());
    assertFalse(meta.containsKey("concurrency") || meta.containsKey("max") || meta.containsKey("duration"));
    assertFalse(probe.exists(queue.keys().limiter()));
  }
}
