package dev.corral.api.health;

import dev.corral.broker.BrokerClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.RedisTimeoutException;

/**
 * Pings Redis (the server, the Sentinel master, or every Cluster node) with a short timeout and reports whether it answered and how fast.
 *
 * <p>Thread-safe.
 */
public final class RedisHealthCheck {

  /** How long a PING may take before Redis counts as down. */
  public static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

  private static final String NO_REPLY = "no reply to PING within " + PING_TIMEOUT.toMillis() + " ms";

  private final BrokerClient broker;

  /** A check of the Redis behind {@code broker}. */
  public RedisHealthCheck(BrokerClient broker) {
    this.broker = broker;
  }

  /** Sends one PING; never throws. */
  public RedisStatus check() {
    long t0 = System.nanoTime();
    try {
      boolean pong = switch (broker.settings().topology()) {
        case SINGLE -> broker.redisson().getRedisNodes(RedisNodes.SINGLE).getInstance()
            .ping(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        case SENTINEL -> broker.redisson().getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster()
            .ping(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        case CLUSTER -> broker.redisson().getRedisNodes(RedisNodes.CLUSTER)
            .pingAll(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      };
      long latencyMs = (System.nanoTime() - t0) / 1_000_000;
      return pong ? RedisStatus.up(latencyMs) : RedisStatus.down(NO_REPLY);
    } catch (RedisTimeoutException e) {
      return RedisStatus.down(NO_REPLY);
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return RedisStatus.down("PING failed: " + why);
    }
  }
}
