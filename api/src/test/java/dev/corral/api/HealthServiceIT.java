package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Corral;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

@ServerTest
class HealthServiceIT extends ApiServerTestBase {


  HealthServiceIT(URI uri) {
    super(uri);
  }

  @Test
  void healthIsUpWithVersionUptimeAndRedisLatency() {
    Http.Reply reply = Http.get(uri, "/health");

    assertEquals(200, reply.status());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    JsonNode body = reply.json();
    assertEquals("UP", body.path("status").asText());
    assertEquals(Corral.VERSION, body.path("version").asText());
    assertTrue(body.path("uptime_ms").isIntegralNumber() && body.path("uptime_ms").asLong() >= 0, body.toString());
    assertEquals("UP", body.path("redis").path("status").asText());
    assertTrue(body.path("redis").path("latency_ms").isIntegralNumber(), body.toString());
    assertEquals(4, body.size(), "only status, version, uptime_ms, redis: " + body);
    assertEquals(2, body.path("redis").size(), "only status and latency_ms: " + body);
  }
}
