package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping server lets the requests in flight finish and refuses new ones with 503. */
@ServerTest
class DrainFilterIT {

  private static final ServerState STATE = new ServerState();
  private static final CountDownLatch SLOW_STARTED = new CountDownLatch(1);
  private final URI uri;

  DrainFilterIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    routing.addFilter(new DrainFilter(STATE, Clock.systemUTC()))
        .get("/slow", (req, res) -> {
          SLOW_STARTED.countDown();
          try {
            Thread.sleep(700);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          res.send("done");
        })
        .get("/health", (req, res) -> res.send("health"))
        .get("/fast", (req, res) -> res.send("fast"));
  }

  @Test
  void requestsInFlightFinishAndNewOnesAre503OnceStopping() throws Exception {
    assertEquals(200, Http.get(uri, "/fast").status());
    CompletableFuture<Http.Reply> slow = CompletableFuture.supplyAsync(() -> Http.get(uri, "/slow"));
    // wait for the slow handler itself: the in-flight count alone may still include the /fast request above,
    // whose exit can trail its response
    assertTrue(SLOW_STARTED.await(5, TimeUnit.SECONDS), "the slow request reached its handler");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (STATE.inFlight() != 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, STATE.inFlight(), "only the slow request is in flight");

    STATE.markStopping();
    Http.Reply refused = Http.get(uri, "/fast");
    assertEquals(503, refused.status(), refused.body());
    assertEquals("unavailable", refused.json().path("error_type").asText());
    assertEquals("close", refused.headers().firstValue("connection").orElse(""));
    assertEquals(200, Http.get(uri, "/health").status(), "/health still answers (with its own status)");

    long t0 = System.nanoTime();
    assertEquals(0, STATE.awaitIdle(Duration.ofSeconds(5)), "all requests finished");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
    assertEquals(200, slow.get().status());
    assertEquals("done", slow.get().body());
  }
}
