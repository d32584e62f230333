package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.Role;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every caller (each role, no token, an unknown token) against every route that exists, over a real socket. */
@ServerTest
class AuthIT extends ApiServerTestBase {

  private static final String QUEUE = RedisTestSupport.uniqueQueueName("auth");
  private static final String NONE = "none";
  private static final String UNKNOWN = "unknown";


  AuthIT(URI uri) {
    super(uri);
  }

  @AfterAll
  static void deleteQueue() {
    TestServer.deleteQueue(QUEUE);
  }

  /** caller, method, path, expected status. */
  static Stream<Arguments> table() {
    String q = "/api/queues/" + QUEUE;
    Map<String, Map<String, Integer>> routes = new java.util.LinkedHashMap<>();
    // route -> caller -> status
    routes.put("GET /health", callers(200, 200, 200, 200, 200, 200));
    routes.put("GET " + q, callers(200, 200, 403, 200, 401, 401));
    routes.put("POST " + q + "/pause", callers(200, 200, 403, 403, 401, 401));
    routes.put("POST " + q + "/resume", callers(200, 200, 403, 403, 401, 401));
    routes.put("DELETE " + q, callers(405, 403, 403, 403, 401, 401));
    routes.put("GET /api/no-such-route", callers(404, 403, 403, 403, 401, 401));
    List<Arguments> rows = new ArrayList<>();
    routes.forEach((route, byCaller) -> byCaller.forEach((caller, status) -> {
      String[] parts = route.split(" ", 2);
      rows.add(Arguments.of(caller, parts[0], parts[1], status));
    }));
    return rows.stream();
  }

  private static Map<String, Integer> callers(int admin, int operator, int worker, int submitter, int none,
      int unknown) {
    Map<String, Integer> m = new java.util.LinkedHashMap<>();
    m.put("admin", admin);
    m.put("operator", operator);
    m.put("worker", worker);
    m.put("submitter", submitter);
    m.put(NONE, none);
    m.put(UNKNOWN, unknown);
    return m;
  }

  @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
  @MethodSource("table")
  void everyCallerOnEveryRoute(String caller, String method, String path, int expected) {
    String token = switch (caller) {
      case NONE -> null;
      case UNKNOWN -> "not-a-configured-token";
      default -> TestServer.token(Role.parse(caller));
    };
    Http.Reply reply = Http.request(uri, method, path, token, null, null);

    assertEquals(expected, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    if (expected == 401) {
      ErrorResponsesIT.assertErrorShape(reply.json(), "unauthorized", path);
      assertEquals("Bearer realm=\"corral\"", reply.headers().firstValue("WWW-Authenticate").orElse(""));
    } else if (expected == 403) {
      ErrorResponsesIT.assertErrorShape(reply.json(), "forbidden", path);
      assertEquals("role " + caller + " may not call " + method + " " + path, reply.json().path("detail").asText());
    }
  }

  @Test
  void theHashedSubmitterTokenWorks() {
    assertEquals(200, Http.request(uri, "GET", "/api/queues/" + QUEUE, TestServer.token(Role.SUBMITTER), null, null)
        .status());
  }

  @Test
  void aMissingTokenAndAnotherSchemeAre401WithTheirReason() {
    Http.Reply missing = Http.request(uri, "GET", "/api/queues/" + QUEUE, null, null, null);
    assertEquals("missing bearer token: send 'Authorization: Bearer <token>'", missing.json().path("detail").asText());

    Http.Reply unknown = Http.request(uri, "GET", "/api/queues/" + QUEUE, "nope", null, null);
    assertEquals("unknown bearer token", unknown.json().path("detail").asText());
    assertTrue(!unknown.body().contains("nope"), "the token is not echoed: " + unknown.body());
  }
}
