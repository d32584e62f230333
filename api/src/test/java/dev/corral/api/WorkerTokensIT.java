package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.SecuritySettings;
import dev.corral.api.auth.TokenStore;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Worker tokens bound to worker ids ({@code worker@<id>:token}, {@code worker@<prefix>*:token}, a hashed bound
 * token) against an unbound one, on every worker route, over a real socket.
 */
@ServerTest
class WorkerTokensIT {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  private static final String EXACT = "wt-" + RUN + "-1";
  private static final String PREFIX = "wt-" + RUN + "-p";
  private static final String OTHER = "wt-" + RUN + "-other";
  private static final String JSON = "application/json";

  private static final SecuritySettings SECURITY = SecuritySettings.withTokens(TokenStore.parse("test", List.of(
      "admin:t-admin", "worker:t-unbound", "worker@" + EXACT + ":t-exact", "worker@" + PREFIX + "*:t-prefix",
      "worker@" + EXACT + "+" + PREFIX + "*:t-list",
      "worker@" + EXACT + ":sha256:" + TokenStore.sha256Hex("t-hashed"))));

  private final URI uri;
  private final WorkerRegistry registry = new WorkerRegistry(TestServer.client(), dev.corral.broker.keys.QueueKeys.DEFAULT_PREFIX);

  WorkerTokensIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    TestServer.routing(routing, SECURITY);
  }

  @AfterEach
  void cleanUp() {
    for (String id : List.of(EXACT, EXACT + "0", PREFIX + "1", PREFIX + "2", OTHER)) {
      registry.deregister(id);
    }
  }

  private static String registration(String id) {
    return "{" + (id == null ? "" : "\"worker_id\":\"" + id + "\",")
        + "\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1}";
  }

  private Http.Reply call(String token, String method, String path, String body) {
    return Http.request(uri, method, path, token, body == null ? null : JSON, body);
  }

  /** Every worker route as {@code id} with {@code token}: all answer {@code expected} ... or 403. */
  private void everyRoute(String token, String id, boolean allowed) {
    Http.Reply reg = call(token, "POST", "/api/workers/register", registration(id));
    assertEquals(allowed ? 201 : 403, reg.status(), token + " register " + id + ": " + reg.body());
    if (!allowed) {
      assertTrue(reg.json().get("detail").asText().contains("may not act as worker '" + id + "'"), reg.body());
      // the worker exists (registered by the admin), the token is still refused on its paths
      assertEquals(201, call("t-admin", "POST", "/api/workers/register", registration(id)).status());
    }
    String w = "/api/workers/" + id;
    int ok = allowed ? 200 : 403;
    assertEquals(ok, call(token, "POST", w + "/heartbeat", "{\"seq\":1}").status(), token + " heartbeat " + id);
    assertEquals(ok, call(token, "GET", w + "/commands/pending", null).status(), token + " pending " + id);
    assertEquals(ok, call(token, "GET", w + "/commands", null).status(), token + " audit " + id);
    Http.Reply ack = call(token, "POST", w + "/commands/nope-1/ack", "{\"outcome\":\"done\"}");
    assertEquals(allowed ? 404 : 403, ack.status(), token + " ack " + id + ": " + ack.body());
    assertEquals(allowed ? 204 : 403, call(token, "DELETE", w, null).status(), token + " deregister " + id);
    if (!allowed) {
      Http.Reply denied = call(token, "DELETE", w, null);
      assertEquals("forbidden", denied.json().get("error_type").asText());
    }
  }

  @Test
  void anUnboundTokenActsForAnyWorker() {
    everyRoute("t-unbound", EXACT, true);
    everyRoute("t-unbound", OTHER, true);
  }

  @Test
  void aTokenBoundToOneIdActsOnlyAsThatId() {
    everyRoute("t-exact", EXACT, true);
    everyRoute("t-exact", OTHER, false);
    everyRoute("t-exact", EXACT + "0", false);
  }

  @Test
  void aHashedBoundTokenIsBoundToo() {
    everyRoute("t-hashed", EXACT, true);
    everyRoute("t-hashed", OTHER, false);
  }

  @Test
  void aPrefixTokenActsForEveryIdWithThePrefix() {
    everyRoute("t-prefix", PREFIX + "1", true);
    everyRoute("t-prefix", PREFIX + "2", true);
    everyRoute("t-prefix", OTHER, false);
    everyRoute("t-prefix", EXACT, false);
  }

  @Test
  void aListTokenActsForEachOfItsPatterns() {
    everyRoute("t-list", EXACT, true);
    everyRoute("t-list", PREFIX + "1", true);
    everyRoute("t-list", OTHER, false);
  }

  @Test
  void registeringWithoutAWorkerId() {
    Http.Reply exact = call("t-exact", "POST", "/api/workers/register", registration(null));
    assertEquals(201, exact.status(), exact.body());
    assertEquals(EXACT, exact.json().get("worker_id").asText(), "defaults to the one id the token is bound to");

    Http.Reply prefix = call("t-prefix", "POST", "/api/workers/register", registration(null));
    assertEquals(400, prefix.status(), prefix.body());
    assertEquals("worker_id", prefix.json().at("/errors/0/field").asText(), prefix.body());

    Http.Reply unbound = call("t-unbound", "POST", "/api/workers/register", registration(null));
    assertEquals(201, unbound.status(), unbound.body());
    registry.deregister(unbound.json().get("worker_id").asText());
  }

  @Test
  void otherRolesAreNotBound() {
    everyRoute("t-admin", OTHER, true);
  }
}
