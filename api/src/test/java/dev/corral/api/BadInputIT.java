package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.SecuritySettings;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile or sloppy input always gets a 4xx with the error body, never a 5xx. The body limit here is 1 KiB. */
@ServerTest
class BadInputIT {

  private static final long LIMIT = 1024;

  private final URI uri;
  private final String queue = RedisTestSupport.uniqueQueueName("bad");

  BadInputIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    TestServer.routing(routing, new SecuritySettings(TestServer.SECURITY.tokens(), false, false, LIMIT));
  }

  @AfterEach
  void cleanUp() {
    TestServer.deleteQueue(queue);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    Http.Reply reply = admin("POST", "/api/queues/" + queue + "/pause", "application/json",
        "{\"x\":\"" + "a".repeat((int) LIMIT) + "\"}");

    assertEquals(413, reply.status(), reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "payload_too_large", "/api/queues/" + queue + "/pause");
  }

  @Test
  void aNonJsonBodyIs415() {
    Http.Reply reply = admin("POST", "/api/queues/" + queue + "/pause", "text/plain", "pause please");

    assertEquals(415, reply.status(), reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "unsupported_media_type", "/api/queues/" + queue + "/pause");
    assertEquals(415, admin("POST", "/api/queues/" + queue + "/pause", null, "{}").status());
  }

  @Test
  void aJsonBodyOrNoBodyIsAccepted() {
    assertEquals(200, admin("POST", "/api/queues/" + queue + "/pause", "application/json; charset=utf-8", "{}")
        .status());
    assertEquals(200, admin("POST", "/api/queues/" + queue + "/resume", null, null).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
  void anotherMethodOnAKnownPathIs405(String method) {
    Http.Reply reply = admin(method, "/api/queues/" + queue, null, null);

    assertEquals(405, reply.status(), reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "method_not_allowed", "/api/queues/" + queue);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUT /api/queues/Q/jobs", "PATCH /api/queues/Q/jobs/1", "GET /api/queues/Q/jobs/1/retry",
      "DELETE /api/queues/Q/jobs/1/promote", "PUT /api/executions", "DELETE /api/executions/e1",
      "GET /api/executions/e1/cancel", "POST /api/idempotency/k1"})
  void anotherMethodOnAJobOrExecutionRouteIs405(String call) {
    String method = call.substring(0, call.indexOf(' '));
    String path = call.substring(call.indexOf(' ') + 1).replace("Q", queue);
    Http.Reply reply = admin(method, path, null, null);

    assertEquals(405, reply.status(), call + " -> " + reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "method_not_allowed", path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/queues/%2e%2e/pause", "/api/queues/%2E%2E", "/api/queues/a%2Fb/pause",
      "/api/queues/..%2fadmin", "/api/queues/a%5Cb", "/api/queues/a%00b", "/api/queues/a%0Ab",
      "/api/queues/.", "/api/queues/a:b", "/api/queues/a%3Ab/pause"})
  void traversalAndBadNamesAre4xx(String path) {
    Http.Reply reply = admin("GET", path, null, null);

    assertTrue(reply.status() >= 400 && reply.status() < 500, path + " -> " + reply.status() + " " + reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), reply.json().path("error_type").asText(),
        reply.json().path("path").asText());
  }

  @Test
  void aTooLongQueueNameIs400() {
    Http.Reply reply = admin("GET", "/api/queues/" + "q".repeat(300), null, null);

    assertEquals(400, reply.status(), reply.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"%C3%A9t%C3%A9", "%F0%9F%93%A7", "-1", "0", "a.b"})
  void unicodeAndNumericNamesAreOrdinaryQueues(String encoded) {
    String name = queue + "-" + encoded;
    Http.Reply reply = admin("GET", "/api/queues/" + name, null, null);
    try {
      assertEquals(200, reply.status(), reply.body());
    } finally {
      TestServer.deleteQueue(java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private Http.Reply admin(String method, String path, String contentType, String body) {
    return Http.request(uri, method, path, Http.ADMIN_TOKEN, contentType, body);
  }
}
