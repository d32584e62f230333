package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Corral;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerInfo;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerRunState;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@ServerTest
class HealthServiceIT extends ApiServerTestBase {

  HealthServiceIT(URI uri) {
    super(uri);
  }

  @Test
  void healthReportsInstanceLeadershipRedisComponentsWorkersAndCapacity() {
    Http.Reply reply = Http.get(uri, "/health");

    assertEquals(200, reply.status());
    assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
    JsonNode body = reply.json();
    assertTrue(Set.of("UP", "DEGRADED").contains(body.path("status").asText()), body.toString());
    assertEquals(Corral.VERSION, body.path("version").asText());
    assertFalse(body.path("instance_id").asText().isEmpty(), body.toString());
    assertFalse(body.path("is_leader").asBoolean(), body.toString());
    assertTrue(body.path("uptime_ms").isIntegralNumber() && body.path("uptime_ms").asLong() >= 0, body.toString());
    assertEquals("UP", body.path("redis").path("status").asText());
    assertTrue(body.path("redis").path("latency_ms").isIntegralNumber(), body.toString());
    assertEquals(2, body.path("redis").size(), "only status and latency_ms: " + body);
    assertEquals("ok", body.path("components").path("queue").path("status").asText(), body.toString());
    for (String c : List.of("queue", "workers", "executions")) {
      assertTrue(Set.of("ok", "degraded").contains(body.path("components").path(c).path("status").asText()), c);
      assertFalse(body.path("components").path(c).path("reason").asText().isEmpty(), c);
    }
    boolean allOk = List.of("queue", "workers", "executions").stream()
        .allMatch(c -> body.path("components").path(c).path("status").asText().equals("ok"));
    assertEquals(allOk ? "UP" : "DEGRADED", body.path("status").asText(), body.toString());
    for (String f : List.of("total", "active", "idle", "busy", "unhealthy", "utilization_percent")) {
      assertTrue(body.path("workers").path(f).isNumber(), f + ": " + body);
    }
    assertTrue(body.path("capacity").path("current").isIntegralNumber(), body.toString());
    assertTrue(body.path("capacity").path("max").isIntegralNumber(), body.toString());
  }

  @Test
  void workersAndCapacityCountTheRegisteredWorkersHeartbeats() {
    WorkerRegistry registry = new WorkerRegistry(TestServer.client(), "bull");
    JsonNode before = Http.get(uri, "/health").json();
    String busy = "hb-busy-" + UUID.randomUUID().toString().substring(0, 8);
    String idle = "hb-idle-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      register(registry, busy, 3);
      register(registry, idle, 0);
      JsonNode after = Http.get(uri, "/health").json();

      assertEquals(2, delta(before, after, "workers", "total"), after.toString());
      assertEquals(2, delta(before, after, "workers", "active"));
      assertEquals(1, delta(before, after, "workers", "busy"));
      assertEquals(1, delta(before, after, "workers", "idle"));
      assertEquals(8, delta(before, after, "capacity", "max"), "two workers of 4 slots");
      assertEquals(3, delta(before, after, "capacity", "current"), "3 busy slots");
      if (before.path("capacity").path("max").asLong() == 0) {
        assertEquals(37.5, after.path("workers").path("utilization_percent").asDouble(), after.toString());
      }
    } finally {
      registry.deregister(busy);
      registry.deregister(idle);
    }
  }

  private static long delta(JsonNode before, JsonNode after, String part, String field) {
    return after.path(part).path(field).asLong() - before.path(part).path(field).asLong();
  }

  private static void register(WorkerRegistry registry, String id, int busySlots) {
    long now = System.currentTimeMillis();
    WorkerRegistration reg = new WorkerRegistration(id, "h1", 9, now, "corral:test", List.of("health"), List.of(),
        Map.of(), 4, 0, 0, Map.of(), 60_000, 3);
    registry.register(reg);
    registry.heartbeat(reg, new Heartbeat(id, now, 0, WorkerRunState.RUNNING, busySlots / 4.0,
        new WorkerInfo(id, now, "h1", 4, 4, 4, 4 - busySlots, busySlots, List.of()), List.of(), 0, 0, 0));
  }
}
