package dev.corral.broker.internal;

import dev.corral.broker.RedisSettings;
import dev.corral.broker.support.Checks;
import java.net.InetSocketAddress;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisClientConfig;
import org.redisson.connection.ServiceManager;

/**
 * Builds Redisson low-level {@link RedisClient}s for dedicated, named connections (a worker's blocking
 * connection, a QueueEvents reader). They borrow the event loop, timer, executor, resolver and channel class
 * of the shared Redisson client, so they start no threads of their own, and their {@code shutdown()} leaves
 * the shared client untouched.
 *
 * <p>Borrowing the resolver group also matters for correctness: a {@link RedisClient} built without one
 * resolves {@code EpollSocketChannel} eagerly and fails with {@code NoClassDefFoundError} when netty's epoll
 * classes are not on the classpath (they are not a Redisson dependency).
 */
public final class DedicatedClients {

  private DedicatedClients() {}

  /**
   * A client for one dedicated connection named {@code clientName} ({@code CLIENT SETNAME} on connect).
   *
   * @param commandTimeoutMs how long one command may take, blocking time included
   */
  public static RedisClient create(
      RedissonClient shared, RedisSettings settings, String clientName, int commandTimeoutMs) {
    return create(shared, settings, clientName, commandTimeoutMs, null);
  }

  /**
   * A client for one dedicated connection named {@code clientName}, on the server that holds {@code routingKey}:
   * on Cluster the master of the key's hash slot (the keys one connection reads must share that slot, as a
   * queue's keys do under a hash-tagged prefix); elsewhere the routing key changes nothing.
   *
   * @param commandTimeoutMs how long one command may take, blocking time included
   * @param routingKey a key the connection will read, or null (Cluster: the first listed node)
   */
  public static RedisClient create(RedissonClient shared, RedisSettings settings, String clientName,
      int commandTimeoutMs, String routingKey) {
    Checks.notNull(shared, "shared");
    Checks.notNull(settings, "settings");
    Checks.notEmpty(clientName, "clientName");
    ServiceManager services = ((Redisson) shared).getCommandExecutor().getServiceManager();
    RedisClientConfig config = new RedisClientConfig()
        .setAddress(address(shared, settings, routingKey))
        .setClientName(clientName)
        .setDatabase(settings.database())
        .setConnectTimeout(10_000)
        .setCommandTimeout(commandTimeoutMs)
        .setGroup(services.getGroup())
        .setTimer(services.getTimer())
        .setExecutor(services.getExecutor())
        .setResolverGroup(services.getResolverGroup())
        .setSocketChannelClass(services.getSocketChannelClass());
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    if (settings.username() != null) {
      config.setUsername(settings.username());
    }
    return RedisClient.create(config);
  }

  /**
   * The server a dedicated connection goes to: the single server; for Sentinel the master Redisson follows now
   * (a connection opened after a failover goes to the new master); for Cluster the master that serves
   * {@code routingKey}'s hash slot now (the first listed node without a routing key).
   */
  static String address(RedissonClient shared, RedisSettings settings, String routingKey) {
    InetSocketAddress master;
    switch (settings.topology()) {
      case SENTINEL -> master = shared.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().getAddr();
      case CLUSTER -> {
        if (routingKey == null) {
          return settings.address();
        }
        master = ((Redisson) shared).getCommandExecutor().getConnectionManager().getEntry(routingKey).getClient()
            .getAddr();
      }
      default -> {
        return settings.address();
      }
    }
    String host = master.getHostString();
    return (settings.tls() ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + master.getPort();
  }
}
