package dev.corral.broker;

import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.ScriptRunner;
import java.time.Clock;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.BaseConfig;
import org.redisson.config.ReadMode;

/**
 * The shared connection to one Redis: owns the Redisson client, the script runner and the clock. Create one
 * per process and get {@link Queue}s from it; close it last.
 *
 * <p>Thread-safe.
 */
public final class BrokerClient implements AutoCloseable {

  private final RedisSettings settings;
  private final RedissonClient redisson;
  private final ScriptRunner scripts;
  private final Clock clock;

  private BrokerClient(RedisSettings settings, RedissonClient redisson, Clock clock) {
    this.settings = settings;
    this.redisson = redisson;
    // Sentinel and Cluster: scripts go through Redisson's pool, which follows failovers and routes by key
    this.scripts = new ScriptRunner(redisson, settings, settings.isSingle());
    this.clock = clock;
  }

  /**
   * Connects to the Redis at {@code redisUrl} with the system clock.
   *
   * @throws IllegalArgumentException for a malformed URL
   * @throws BrokerException when Redis cannot be reached
   */
  public static BrokerClient connect(String redisUrl) {
    return connect(RedisSettings.parse(redisUrl), Clock.systemUTC());
  }

  /**
   * Connects to Redis with {@code clock} as the source of every timestamp written (tests inject one).
   *
   * @throws BrokerException when Redis cannot be reached
   */
  public static BrokerClient connect(RedisSettings settings, Clock clock) {
    Checks.notNull(settings, "settings");
    Checks.notNull(clock, "clock");
    Config config = new Config();
    config.setCodec(StringCodec.INSTANCE);
    config.setNettyThreads(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    config.setThreads(Math.max(2, Runtime.getRuntime().availableProcessors()));
    configureServers(config, settings);
    RedissonClient redisson = null;
    try {
      redisson = Redisson.create(config);
      return new BrokerClient(settings, redisson, clock);
    } catch (RuntimeException e) {
      if (redisson != null) {
        redisson.shutdown();
      }
      throw new BrokerException("cannot connect to Redis at " + settings.redacted() + ": " + e.getMessage(), e);
    }
  }

  /** Points {@code config} at the single server, the Sentinel master or the Cluster of {@code settings}. */
  private static void configureServers(Config config, RedisSettings settings) {
    BaseConfig<?> base = switch (settings.topology()) {
      case SINGLE -> config.useSingleServer()
          .setAddress(settings.address())
          .setDatabase(settings.database())
          .setConnectionMinimumIdleSize(4)
          .setConnectionPoolSize(64)
          .setSubscriptionConnectionMinimumIdleSize(1)
          .setSubscriptionConnectionPoolSize(8);
      case SENTINEL -> config.useSentinelServers()
          .setMasterName(settings.masterName())
          .addSentinelAddress(settings.nodeAddresses().toArray(String[]::new))
          // Redisson refuses fewer than two Sentinels by default; how many to run is the deployment's choice
          // (one is common in development), and every listed Sentinel is still used
          .setCheckSentinelsList(false)
          .setDatabase(settings.database())
          .setReadMode(ReadMode.MASTER)
          .setMasterConnectionMinimumIdleSize(4)
          .setMasterConnectionPoolSize(64)
          .setSubscriptionConnectionMinimumIdleSize(1)
          .setSubscriptionConnectionPoolSize(8);
      case CLUSTER -> config.useClusterServers()
          .addNodeAddress(settings.nodeAddresses().toArray(String[]::new))
          .setReadMode(ReadMode.MASTER)
          .setMasterConnectionMinimumIdleSize(4)
          .setMasterConnectionPoolSize(64)
          .setSubscriptionConnectionMinimumIdleSize(1)
          .setSubscriptionConnectionPoolSize(8);
    };
    base.setRetryAttempts(2).setTimeout(10_000);
    if (settings.password() != null) {
      base.setPassword(settings.password());
    }
    if (settings.username() != null) {
      base.setUsername(settings.username());
    }
  }

  /** A queue under the default prefix {@code bull}. */
  public Queue queue(String name) {
    return queue(name, QueueOptions.defaults());
  }

  /** A queue with options (prefix, events stream length). Writes the queue's meta, as BullMQ does. */
  public Queue queue(String name, QueueOptions options) {
    return new Queue(this, new QueueKeys(options.prefix(), name), options);
  }

  /**
   * Opens a dedicated connection named {@code clientName} for blocking commands.
   *
   * @see QueueKeys#workerClientName(String)
   */
  public BlockingConnection openBlockingConnection(String clientName) {
    return openBlockingConnection(clientName, null);
  }

  /**
   * Opens a dedicated connection named {@code clientName} for blocking commands on {@code routingKey}'s server
   * (on Cluster the master of its hash slot; elsewhere it changes nothing).
   */
  public BlockingConnection openBlockingConnection(String clientName, String routingKey) {
    return new BlockingConnection(redisson, settings, scripts, clientName, routingKey);
  }

  /** The Redisson client (for extensions; prefer {@link Queue}). */
  public RedissonClient redisson() {
    return redisson;
  }

  /** The script runner shared by every queue of this client. */
  public ScriptRunner scripts() {
    return scripts;
  }

  /** The clock used for every timestamp this client writes. */
  public Clock clock() {
    return clock;
  }

  /** Where this client connects. */
  public RedisSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    scripts.close();
    redisson.shutdown();
  }
}
