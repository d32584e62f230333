package dev.corral.broker.testing;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.redis.LocalRedisServer;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assumptions;

/**
 * One Redis for the whole test JVM, chosen in this order: {@code REDIS_URL}; a {@code redis-server} on the
 * PATH; the Redis 7.0.15 binary of {@code org.signal:embedded-redis}; Testcontainers where a Docker socket
 * exists. When none works the test is aborted (skipped), unless {@code REDIS_REQUIRED=true} or {@code CI}
 * is set, where it fails: CI must never skip Redis tests silently.
 *
 * <p>Tests never FLUSHALL: each uses {@link #uniqueQueueName(String)}.
 */
public final class RedisTestSupport {

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static String url;
  private static String source;

  private RedisTestSupport() {}

  /** The Redis URL for tests, starting a server on first use. */
  public static String redisUrl() {
    LOCK.lock();
    try {
      if (url == null) {
        resolve();
      }
      return url;
    } finally {
      LOCK.unlock();
    }
  }

  /** Where the Redis came from: env, PATH, embedded or testcontainers. */
  public static String source() {
    redisUrl();
    return source;
  }

  /** A new client on the test Redis. */
  public static BrokerClient newClient() {
    return BrokerClient.connect(redisUrl());
  }

  /**
   * The test JVM's one client on the test Redis (system clock), made on first use and closed when the JVM exits.
   * Test classes share it instead of each opening and closing their own; a test that needs its own clock, or
   * closes or breaks its client on purpose, uses {@link #newClient()}. Never close it.
   */
  public static BrokerClient sharedClient() {
    return SharedClient.CLIENT;
  }

  private static final class SharedClient {
    static final BrokerClient CLIENT = newClient();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(CLIENT::close, "close-shared-test-client"));
    }
  }

  /** A new client with {@code clock}. */
  public static BrokerClient newClient(Clock clock) {
    return BrokerClient.connect(RedisSettings.parse(redisUrl()), clock);
  }

  /** A queue name no other test uses. */
  public static String uniqueQueueName(String hint) {
    return "test-" + hint + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void resolve() {
    String env = System.getenv("REDIS_URL");
    if (env != null && !env.isBlank()) {
      url = env;
      source = "REDIS_URL";
      return;
    }
    Exception localFailure;
    try {
      LocalRedisServer server = LocalRedisServer.start(null, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-test-redis"));
      url = server.url();
      source = server.executable().toString();
      return;
    } catch (Exception e) {
      localFailure = e;
    }
    String containerUrl = TestcontainersRedis.tryStart();
    if (containerUrl != null) {
      url = containerUrl;
      source = "testcontainers";
      return;
    }
    String message = "No Redis for tests: set REDIS_URL, install redis-server, or keep org.signal:embedded-redis "
        + "on the test classpath (" + localFailure.getMessage() + ")";
    if ("true".equalsIgnoreCase(System.getenv("REDIS_REQUIRED")) || System.getenv("CI") != null) {
      throw new IllegalStateException(message, localFailure);
    }
    Assumptions.abort(message);
  }
}
