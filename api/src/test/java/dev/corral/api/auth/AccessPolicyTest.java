package dev.corral.api.auth;

import static dev.corral.api.auth.Role.ADMIN;
import static dev.corral.api.auth.Role.OPERATOR;
import static dev.corral.api.auth.Role.SUBMITTER;
import static dev.corral.api.auth.Role.WORKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every known and planned route against every role, plus the deny-by-default rule and the pattern matcher. */
class AccessPolicyTest {

  private static final AccessPolicy POLICY = AccessPolicy.defaults(false);
  private static final AccessPolicy PROTECTED = AccessPolicy.defaults(true);

  /** method, path, the roles besides admin that may call it. */
  static Stream<Arguments> routes() {
    Set<Role> none = EnumSet.noneOf(Role.class);
    Set<Role> readers = EnumSet.of(OPERATOR, SUBMITTER);
    Set<Role> op = EnumSet.of(OPERATOR);
    Set<Role> wk = EnumSet.of(WORKER);
    Set<Role> sub = EnumSet.of(SUBMITTER);
    return Stream.of(
        Arguments.of("GET", "/api/queues", readers),
        Arguments.of("GET", "/api/queues/emails", readers),
        Arguments.of("HEAD", "/api/queues/emails", readers),
        Arguments.of("GET", "/api/queues/emails/jobs", readers),
        Arguments.of("GET", "/api/queues/emails/jobs/42", readers),
        Arguments.of("GET", "/api/queues/emails/jobs/42/logs", readers),
        Arguments.of("POST", "/api/queues/emails/pause", op),
        Arguments.of("POST", "/api/queues/emails/resume", op),
        Arguments.of("POST", "/api/queues/emails/drain", none),
        Arguments.of("POST", "/api/queues/emails/clean", none),
        Arguments.of("GET", "/api/statistics", op),
        Arguments.of("POST", "/api/statistics", none),
        Arguments.of("POST", "/api/queues/emails/jobs", sub),
        Arguments.of("POST", "/api/queues/emails/jobs/42/retry", op),
        Arguments.of("POST", "/api/queues/emails/jobs/42/promote", op),
        Arguments.of("DELETE", "/api/queues/emails/jobs/42", op),
        Arguments.of("DELETE", "/api/queues/emails", none),
        Arguments.of("PUT", "/api/queues/emails", none),
        Arguments.of("POST", "/api/queues/emails", none),
        Arguments.of("POST", "/api/queues/emails/obliterate", none),
        Arguments.of("DELETE", "/api/queues/emails/jobs", none),
        Arguments.of("POST", "/api/executions", sub),
        Arguments.of("GET", "/api/executions", readers),
        Arguments.of("GET", "/api/executions/e1", readers),
        Arguments.of("GET", "/api/executions/e1/steps", readers),
        Arguments.of("POST", "/api/executions/e1/cancel", readers),
        Arguments.of("DELETE", "/api/executions/e1", none),
        Arguments.of("GET", "/api/idempotency/k1", readers),
        Arguments.of("DELETE", "/api/idempotency/k1", none),
        Arguments.of("POST", "/api/workers/register", wk),
        Arguments.of("POST", "/api/workers/w1/heartbeat", wk),
        Arguments.of("DELETE", "/api/workers/w1", wk),
        Arguments.of("GET", "/api/workers", op),
        Arguments.of("GET", "/api/workers/w1", op),
        Arguments.of("GET", "/api/workers/w1/commands", EnumSet.of(OPERATOR, WORKER)),
        Arguments.of("POST", "/api/workers/w1/commands/c1/ack", wk),
        Arguments.of("GET", "/api/workers/w1/commands/pending", wk),
        Arguments.of("HEAD", "/api/workers/w1/commands/pending", wk),
        Arguments.of("GET", "/api/stream", EnumSet.of(OPERATOR, SUBMITTER)),
        Arguments.of("GET", "/api/stream/stats", op),
        Arguments.of("POST", "/api/stream", none),
        Arguments.of("POST", "/api/workers/w1/commands", op),
        Arguments.of("POST", "/api/workers/w1/processes/restart", op),
        Arguments.of("POST", "/api/workers/w1/processes/p1/kill", op),
        Arguments.of("POST", "/api/workers/w1/processes/101/recycle", op),
        Arguments.of("DELETE", "/api/workers/w1/commands", none),
        Arguments.of("POST", "/api/workers/w1", none),
        Arguments.of("GET", "/api/stuck-history", op),
        Arguments.of("GET", "/api/stuck-history/w1", op),
        Arguments.of("GET", "/api/admin", none),
        Arguments.of("GET", "/api/admin/leader", none),
        Arguments.of("POST", "/api/admin/recovery/run", none),
        Arguments.of("POST", "/api/admin/flush", none),
        Arguments.of("DELETE", "/api/admin/tokens/x", none),
        Arguments.of("GET", "/api/schemas", EnumSet.allOf(Role.class)),
        Arguments.of("GET", "/api/schemas/email", EnumSet.allOf(Role.class)),
        Arguments.of("PUT", "/api/schemas/email", none),
        Arguments.of("DELETE", "/api/schemas/email", none),
        Arguments.of("HEAD", "/api/schemas/email", EnumSet.allOf(Role.class)),
        Arguments.of("PUT", "/api/schemas", none),
        Arguments.of("POST", "/api/schemas/email", none),
        Arguments.of("DELETE", "/api/schemas", none),
        Arguments.of("GET", "/api/not-yet-written", none),
        Arguments.of("POST", "/api/not-yet-written/x", none),
        Arguments.of("GET", "/", none),
        Arguments.of("GET", "/no/such/route", none),
        Arguments.of("PATCH", "/api/queues/emails", none),
        Arguments.of("OPTIONS", "/api/queues/emails", none));
  }

  @ParameterizedTest(name = "{0} {1} -> admin + {2}")
  @MethodSource("routes")
  void everyRoleOnEveryRoute(String method, String path, Set<Role> allowed) {
    for (Role role : Role.values()) {
      boolean expected = role == ADMIN || allowed.contains(role);
      assertEquals(expected, POLICY.permits(role, method, path), role + " " + method + " " + path);
      assertEquals(expected, PROTECTED.permits(role, method, path), "protected: " + role + " " + method + " " + path);
    }
    assertFalse(POLICY.isPublic(method, path), method + " " + path + " needs a token");
    Set<Role> expectedSet = EnumSet.of(ADMIN);
    expectedSet.addAll(allowed);
    assertEquals(expectedSet, POLICY.allowedRoles(method, path));
  }

  @Test
  void healthMetricsAndOpenApiAreOpenByDefault() {
    for (String path : List.of("/health", "/health/", "/metrics", "/metrics/vendor", "/openapi")) {
      assertTrue(POLICY.isPublic("GET", path), path);
      assertTrue(POLICY.isPublic("HEAD", path), path);
      assertFalse(POLICY.isPublic("POST", path), "POST " + path);
    }
  }

  @Test
  void protectedHealthNeedsATokenOfAnyRole() {
    for (String path : List.of("/health", "/metrics", "/openapi")) {
      assertFalse(PROTECTED.isPublic("GET", path), path);
      for (Role role : Role.values()) {
        assertTrue(PROTECTED.permits(role, "GET", path), role + " " + path);
      }
      assertFalse(PROTECTED.permits(WORKER, "POST", path));
    }
  }

  @Test
  void nothingButHealthMetricsAndOpenApiIsPublic() {
    List<String> open = new ArrayList<>();
    for (String path : List.of("/", "/api", "/api/queues/x", "/api/admin", "/healthz", "/health-x", "/metricsx",
        "/openapi.json", "/api/openapi")) {
      for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
        if (POLICY.isPublic(method, path)) {
          open.add(method + " " + path);
        }
      }
    }
    assertEquals(List.of(), open);
  }

  @Test
  void segmentPatternsMatchWholeSegmentsOnly() {
    assertTrue(AccessPolicy.matches(AccessPolicy.segments("/a/*/c"), AccessPolicy.segments("/a/b/c")));
    assertFalse(AccessPolicy.matches(AccessPolicy.segments("/a/*/c"), AccessPolicy.segments("/a/c")));
    assertFalse(AccessPolicy.matches(AccessPolicy.segments("/a/*/c"), AccessPolicy.segments("/a/b/c/d")));
    assertTrue(AccessPolicy.matches(AccessPolicy.segments("/a/**"), AccessPolicy.segments("/a")));
    assertTrue(AccessPolicy.matches(AccessPolicy.segments("/a/**"), AccessPolicy.segments("/a/b/c")));
    assertFalse(AccessPolicy.matches(AccessPolicy.segments("/a/**"), AccessPolicy.segments("/ab")));
    assertFalse(AccessPolicy.matches(AccessPolicy.segments("/api/queues/**"), AccessPolicy.segments("/api/queuesx")));
    assertTrue(AccessPolicy.matches(AccessPolicy.segments("/a/b"), AccessPolicy.segments("/a/b/")));
  }

  @Test
  void methodsAreCaseInsensitive() {
    assertTrue(POLICY.permits(OPERATOR, "post", "/api/queues/q/pause"));
  }
}
