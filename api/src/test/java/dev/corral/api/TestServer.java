package dev.corral.api;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the {@code @ServerTest} classes share: the server setup of {@link ApiServer} (our JSON media) and the
 * routing of {@link Main#routing} on one broker client for the test Redis.
 */
final class TestServer {

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static BrokerClient client;

  private TestServer() {}

  /** The server settings {@link ApiServer} uses, minus host and port. */
  static void configure(WebServerConfig.Builder server) {
    server.mediaContext(ApiJson.mediaContext(ApiJson.newObjectMapper()));
  }

  /** {@link Main#routing} on the shared test client. */
  static void routing(HttpRouting.Builder routing) {
    Main.routing(routing, ApiDeps.of(client()));
  }

  /** One client on the test Redis for the whole test JVM (closed by its shutdown hook). */
  static BrokerClient client() {
    LOCK.lock();
    try {
      if (client == null) {
        client = RedisTestSupport.newClient();
        Runtime.getRuntime().addShutdownHook(new Thread(client::close, "close-test-broker"));
      }
      return client;
    } finally {
      LOCK.unlock();
    }
  }

  /** Deletes every key of {@code queue} under the default prefix. */
  static void deleteQueue(String queue) {
    client().redisson().getKeys().deleteByPattern("bull:" + queue + ":*");
  }
}
