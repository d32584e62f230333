package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.api.auth.Role;
import dev.corral.api.auth.SecuritySettings;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** With {@code CORRAL_PROTECT_HEALTH=true}, {@code /health}, {@code /metrics} and {@code /openapi} need a token of any role. */
@ServerTest
class HealthProtectedIT {

  private final URI uri;

  HealthProtectedIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    SecuritySettings s = TestServer.SECURITY;
    TestServer.routing(routing, new SecuritySettings(s.tokens(), false, true, s.maxBodyBytes()));
  }

  @Test
  void healthNeedsAToken() {
    Http.Reply reply = Http.request(uri, "GET", "/health", null, null, null);
    assertEquals(401, reply.status());
    ErrorResponsesIT.assertErrorShape(reply.json(), "unauthorized", "/health");
    for (Role role : Role.values()) {
      assertEquals(200, Http.request(uri, "GET", "/health", TestServer.token(role), null, null).status(), role.name());
    }
  }

  @Test
  void metricsNeedAToken() {
    Http.Reply reply = Http.request(uri, "GET", "/metrics", null, null, null);
    assertEquals(401, reply.status());
    ErrorResponsesIT.assertErrorShape(reply.json(), "unauthorized", "/metrics");
    for (Role role : Role.values()) {
      Http.Reply ok = Http.request(uri, "GET", "/metrics", TestServer.token(role), null, null);
      assertEquals(200, ok.status(), role.name());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.contentType());
    }
  }

  @Test
  void theOpenApiDocumentNeedsATokenToo() {
    Http.Reply reply = Http.request(uri, "GET", "/openapi", null, null, null);
    assertEquals(401, reply.status());
    ErrorResponsesIT.assertErrorShape(reply.json(), "unauthorized", "/openapi");
    for (Role role : Role.values()) {
      assertEquals(200, Http.request(uri, "GET", "/openapi", TestServer.token(role), null, null).status(), role.name());
    }
  }
}
