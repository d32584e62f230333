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
  }

  @Test
  void aBodyJustOverOneMebibyteIs413InTheErrorShape() {
    String body = "\"" + "a".repeat((int) SecuritySettings.DEFAULT_MAX_BODY_BYTES) + "\"";
    Http.Reply reply = Http.request(uri, "POST", "/api/queues/big/pause", Http.ADMIN_TOKEN, "application/json", body);

    assertEquals(413, reply.status(), reply.body());
    ErrorResponsesIT.assertErrorShape(reply.json(), "payload_too_large", "/api/queues/big/pause");
  }
}
