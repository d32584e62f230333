package dev.corral.bench;

import dev.corral.broker.redis.LocalRedisServer;

/**
 * The Redis a benchmark run uses: {@code REDIS_URL} when set, else a fresh local Redis started for the run
 * (and stopped by {@link #close()}).
 */
final class BenchRedis implements AutoCloseable {

  private final String url;
  private final LocalRedisServer server;

  private BenchRedis(String url, LocalRedisServer server) {
    this.url = url;
    this.server = server;
  }

  /** Opens the run's Redis and prints which one it is. */
  static BenchRedis open() throws java.io.IOException {
    String url = System.getenv("REDIS_URL");
    LocalRedisServer server = null;
    if (url == null || url.isBlank()) {
      server = LocalRedisServer.start(null, 0);
      url = server.url();
    }
    System.out.printf("Redis %s (%s)%n", url, server == null ? "REDIS_URL" : server.executable());
    return new BenchRedis(url, server);
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
