package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error comes back as {@code {detail, error_type, timestamp, path}}, never with a stack trace. */
@ServerTest
class ErrorResponsesIT {

  private final URI uri;

  ErrorResponsesIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    TestServer.routing(routing);
    routing.get("/test/boom", (req, res) -> {
      throw new IllegalStateException("secret internals of dev.corral.Something");
    });
  }

  @Test
  void anUnexpectedFailureIs500WithoutInternals() {
    Http.Reply reply = Http.get(uri, "/test/boom");

    assertEquals(500, reply.status());
    assertErrorShape(reply.json(), "internal_error", "/test/boom");
    assertFalse(reply.body().contains("secret") || reply.body().contains("dev.corral"), reply.body());
  }

  @Test
  void anUnknownRouteIs404InTheErrorShape() {
    Http.Reply reply = Http.get(uri, "/no/such/route");

    assertEquals(404, reply.status());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    assertErrorShape(reply.json(), "not_found", "/no/such/route");
    assertEquals("no route for GET /no/such/route", reply.json().path("detail").asText());
  }

  @Test
  void aKnownPathWithAnotherMethodIs405InTheErrorShapeWithAllow() {
    Http.Reply reply = Http.delete(uri, "/api/queues/emails");

    assertEquals(405, reply.status());
    assertErrorShape(reply.json(), "method_not_allowed", "/api/queues/emails");
    assertEquals("GET", reply.headers().firstValue("Allow").orElse(""));
    assertEquals(405, Http.get(uri, "/api/queues/emails/pause").status());
    assertEquals(405, Http.post(uri, "/health").status());
  }

  @Test
  void aBadQueueNameIs400InTheErrorShapeWithTheFullPath() {
    Http.Reply reply = Http.post(uri, "/api/queues/a:b/pause");

    assertEquals(400, reply.status());
    assertErrorShape(reply.json(), "invalid_request", "/api/queues/a:b/pause");
  }

  static void assertErrorShape(JsonNode body, String errorType, String path) {
    assertEquals(List.of("detail", "error_type", "timestamp", "path"), fieldNames(body), body.toString());
    assertEquals(errorType, body.path("error_type").asText());
    assertEquals(path, body.path("path").asText());
    Instant.parse(body.path("timestamp").asText());
    String detail = body.path("detail").asText();
    assertFalse(detail.isBlank());
    assertFalse(detail.contains("\tat ") || detail.contains("Exception"), "no stack trace or class names: " + detail);
  }

  private static List<String> fieldNames(JsonNode body) {
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
