package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RouteRecorder} reads prefixes, nested services and every way of adding a route, and fails on the rest. */
class RouteRecorderTest {

  private static final io.helidon.webserver.http.Handler NOOP = (req, res) -> res.send();

  @Test
  void recordsRoutesUnderTheirPrefixesAndAnyApart() {
    HttpService inner = rules -> rules.put("/{id}", NOOP);
    HttpService outer = rules -> rules.get("/", NOOP)
        .post("/{id}/go", NOOP)
        .route(Method.PATCH, "/{id}", NOOP)
        .any("/{id}/go", NOOP)
        .register("/inner", inner);
    RouteRecorder r = RouteRecorder.record(b -> b.register("/api/things", outer)
        .register(() -> rules -> rules.delete("/root/", NOOP))
        .error(Throwable.class, (req, res, e) -> res.send()));
    assertEquals(List.of("DELETE /root", "GET /api/things", "PATCH /api/things/{id}", "POST /api/things/{id}/go",
        "PUT /api/things/inner/{id}"), r.routes().stream().map(Object::toString).sorted().toList());
    assertEquals(Set.of("/api/things/{id}/go"), r.anyPaths());
  }

  @Test
  void failsOnARoutingCallItCannotRead() {
    HttpService opaque = rules -> rules.route(HttpRoute.builder().methods(Method.GET).path("/x").handler(NOOP).build());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RouteRecorder.record(b -> b.register("/api", opaque)));
    assertTrue(e.getMessage().contains("cannot tell which route route"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> RouteRecorder.record(b -> b.get(NOOP)));
  }
}
