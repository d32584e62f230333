package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.api.auth.SecuritySettings;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The production body limit (1 MiB, also the web server's max payload size) answers 413 in the error shape. */
@ServerTest
class BodyLimitIT {

  private final URI uri;

  BodyLimitIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    TestServer.routing(routing);
    routing.post("/test/json", (req, res) -> res.send(req.content().as(Payload.class)));
  }

  /** What the test route reads. */
  record Payload(String name, int count) {}

  @Test
  void aChunkedBodyOverTheLimitIs413InTheErrorShape() throws Exception {
    byte[] big = ("{\"name\":\"" + "a".repeat((int) SecuritySettings.DEFAULT_MAX_BODY_BYTES) + "\",\"count\":1}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(uri.toString().replaceAll("/$", "") + "/test/json"))
        .header("Authorization", "Bearer " + Http.ADMIN_TOKEN)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
        .build();
    java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

    assertEquals(413, res.statusCode(), res.body());
    ErrorResponsesIT.assertErrorShape(new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()),
        "payload_too_large", "/test/json");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"{not json", "{\"name\":\"a\",\"count\":\"many\"}",
      "[1,2]", "\"just a string\"", "{\"name\":\"a\",\"count\":1e999999}"})
  void malformedOrMistypedJsonIs400(String body) {
    Http.Reply reply = Http.request(uri, "POST", "/test/json", Http.ADMIN_TOKEN, "application/json", body);

    assertEquals(400, reply.status(), reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "invalid_json", "/test/json");
  }

  @Test
  void wellFormedJsonIsRead() {
    Http.Reply reply = Http.request(uri, "POST", "/test/json", Http.ADMIN_TOKEN, "application/json",
        "{\"name\":\"\u00e9t\u00e9\",\"count\":-3}");

    assertEquals(200, reply.status(), reply.body());
    assertEquals(-3, reply.json().path("count").asInt());
  }

  @Test
  void aBodyJustOverOneMebibyteIs413InTheErrorShape() throws Exception {
    String body = "\"" + "a".repeat((int) SecuritySettings.DEFAULT_MAX_BODY_BYTES) + "\"";
    // Expect: 100-continue, so the client waits for the early 413 instead of racing the server's close
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(uri.toString().replaceAll("/$", "") + "/api/queues/big/pause"))
        .header("Authorization", "Bearer " + Http.ADMIN_TOKEN)
        .header("Content-Type", "application/json")
        .expectContinue(true)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build();
    java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

    assertEquals(413, res.statusCode(), res.body());
    ErrorResponsesIT.assertErrorShape(new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body()),
        "payload_too_large", "/api/queues/big/pause");
  }
}
