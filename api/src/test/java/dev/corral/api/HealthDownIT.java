package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.redis.LocalRedisServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The routes against a Redis of their own that the test stops. */
@ServerTest
class HealthDownIT {

  private static LocalRedisServer redis;
  private static BrokerClient client;
  private final URI uri;

  HealthDownIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    try {
      redis = LocalRedisServer.start(null, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client = BrokerClient.connect(redis.url());
    Main.routing(routing, ApiDeps.of(client));
  }

  @AfterAll
  static void close() {
    client.close();
    redis.close();
  }

  @Test
  void healthAndQueueRoutesAre503WhenRedisStopsAnswering() {
    assertEquals(200, Http.get(uri, "/health").status());

    redis.close();
    long t0 = System.nanoTime();
    Http.Reply reply = Http.get(uri, "/health");
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertEquals(503, reply.status(), reply.body());
    JsonNode body = reply.json();
    assertEquals("DOWN", body.path("status").asText());
    assertEquals("DOWN", body.path("redis").path("status").asText());
    assertFalse(body.path("redis").path("error").asText().isEmpty(), body.toString());
    assertTrue(tookMs < 5_000, "health must answer quickly when Redis is down, took " + tookMs + " ms");

    Http.Reply queue = Http.get(uri, "/api/queues/emails");

    assertEquals(503, queue.status(), queue.body());
    assertEquals("redis_unavailable", queue.json().path("error_type").asText());
    assertEquals("Redis is unavailable; try again later", queue.json().path("detail").asText());

    Http.Reply statistics = Http.get(uri, "/api/statistics");
    assertEquals(503, statistics.status(), statistics.body());

    long m0 = System.nanoTime();
    Http.Reply metrics = Http.get(uri, "/metrics");
    long metricsMs = (System.nanoTime() - m0) / 1_000_000;
    assertEquals(200, metrics.status(), "a scrape still answers: " + metrics.body());
    assertTrue(metricsMs < 3_000, "a scrape must answer quickly when Redis is down, took " + metricsMs + " ms");
    dev.corral.api.metrics.Exposition e = dev.corral.api.metrics.Exposition.parse(metrics.body());
    assertEquals(0, e.value("corral_redis_up"));
    assertFalse(e.types().containsKey("corral_queue_jobs"), "no Redis gauges without Redis");
    assertTrue(e.types().containsKey("corral_http_requests_total"));
  }
}
