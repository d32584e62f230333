package dev.corral.api;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;

/**
 * Base of the {@code @ServerTest} classes that run the server as {@link TestServer} sets it up (every route, the
 * test tokens): the server and routing set-up, and the server's address.
 */
abstract class ApiServerTestBase {

  /** The running server's address. */
  protected final URI uri;

  ApiServerTestBase(URI uri) {
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
}
