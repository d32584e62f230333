package dev.corral.api;

import dev.corral.api.auth.ApiGuard;
import dev.corral.api.auth.Role;
import dev.corral.api.auth.SecuritySettings;
import dev.corral.api.auth.TokenStore;
import dev.corral.api.errors.DirectErrors;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the {@code @ServerTest} classes share: the server setup of {@link ApiServer} (our JSON media) and the
 * routing of {@link Main#routing} on one broker client for the test Redis, behind the {@link ApiGuard} with one
 * token per role ({@link #token}); the submitter's token is configured as a SHA-256 hash.
 */
final class TestServer {

  /** The token of each role. */
  static final Map<Role, String> TOKENS = Map.of(Role.ADMIN, "t-admin-1", Role.OPERATOR, "t-operator-1",
      Role.WORKER, "t-worker-1", Role.SUBMITTER, "t-submitter-1");

  /** The security settings of the test servers: the tokens above, health open, 1 MiB body limit. */
  static final SecuritySettings SECURITY = SecuritySettings.withTokens(TokenStore.parse("test", List.of(
      "admin:" + TOKENS.get(Role.ADMIN), "operator:" + TOKENS.get(Role.OPERATOR),
      "worker:" + TOKENS.get(Role.WORKER),
      "submitter:sha256:" + TokenStore.sha256Hex(TOKENS.get(Role.SUBMITTER)))));

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static BrokerClient client;

  private TestServer() {}

  /** The server settings {@link ApiServer} uses, minus host and port. */
  static void configure(WebServerConfig.Builder server) {
    server.mediaContext(ApiJson.mediaContext(ApiJson.newObjectMapper()))
        .maxPayloadSize(SECURITY.maxBodyBytes());
    DirectErrors.install(server, java.time.Clock.systemUTC(), SECURITY.maxBodyBytes());
  }

  /** {@link Main#install}: the metrics filter, the guard with {@code security} and the routes, on the shared test client. */
  static void routing(HttpRouting.Builder routing, SecuritySettings security) {
    routing(routing, security, dev.corral.api.stream.StreamSettings.defaults());
  }

  /** {@link #routing(HttpRouting.Builder, SecuritySettings)} with other {@code /api/stream} settings. */
  static void routing(HttpRouting.Builder routing, SecuritySettings security,
      dev.corral.api.stream.StreamSettings streams) {
    Main.install(routing, ApiDeps.of(client()).withStreams(streams), security);
  }

  /** {@link #routing(HttpRouting.Builder, SecuritySettings)} with {@link #SECURITY}. */
  static void routing(HttpRouting.Builder routing) {
    routing(routing, SECURITY);
  }

  /** The token of {@code role}. */
  static String token(Role role) {
    return TOKENS.get(role);
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
