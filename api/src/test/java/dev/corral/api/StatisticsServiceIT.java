package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.JobOptions;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/statistics} over a real socket against the test Redis (shared with other tests: lower bounds). */
@ServerTest
class StatisticsServiceIT extends ApiServerTestBase {

  private String name;
  private Queue queue;
  private final String workerId = "it-st-" + UUID.randomUUID().toString().substring(0, 8);

  StatisticsServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("stats");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void cleanUp() {
    TestServer.deleteQueue(name);
    Http.request(uri, "DELETE", "/api/workers/" + workerId, TestServer.token(Role.WORKER), null, null);
  }

  private JsonNode statistics() {
    Http.Reply r = Http.request(uri, "GET", "/api/statistics", TestServer.token(Role.OPERATOR), null, null);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static JsonNode queueIn(JsonNode stats, String queueName) {
    for (JsonNode q : stats.path("queues")) {
      if (q.path("name").asText().equals(queueName)) {
        return q;
      }
    }
    throw new AssertionError(queueName + " not in " + stats.path("queues"));
  }

  @Test
  void countsWorkersExecutionsAndMemory() {
    JsonNode before = statistics();
    queue.add("a", Map.of());
    queue.add("b", Map.of(), JobOptions.builder().delay(60_000).build());
    Http.Reply reg = Http.request(uri, "POST", "/api/workers/register", TestServer.token(Role.WORKER),
        "application/json", "{\"worker_id\":\"" + workerId + "\",\"hostname\":\"h\",\"queues\":[\"" + name
            + "\"],\"concurrency\":1}");
    assertEquals(201, reg.status(), reg.body());
    Http.Reply exec = Http.post(uri, "/api/executions", "{\"workflow_id\":\"stats-wf\",\"nodes\":[{\"id\":\"n1\","
        + "\"queue\":\"" + name + "\"},{\"id\":\"n2\",\"queue\":\"" + name + "\",\"depends_on\":[\"n1\"]}]}");
    assertEquals(201, exec.status(), exec.body());

    JsonNode after = statistics();

    JsonNode mine = queueIn(after, name);
    assertEquals(2, mine.path("counts").path("waiting").asLong(), mine.toString()); // a + released root n1
    assertEquals(1, mine.path("counts").path("delayed").asLong());
    assertEquals(1, mine.path("counts").path("waiting-children").asLong(), "held node n2");
    long summed = 0;
    for (JsonNode q : after.path("queues")) {
      summed += q.path("counts").path("waiting").asLong();
    }
    assertEquals(summed, after.path("totals").path("waiting").asLong(), "totals are the sum over queues");
    assertEquals(after.path("queues").size(), after.path("queue_count").asInt());
    assertTrue(after.path("workers").path("active").asLong() >= before.path("workers").path("active").asLong() + 1,
        after.path("workers").toString());
    assertTrue(after.path("workers").path("healthy").asLong() >= 1);
    assertTrue(after.path("executions").path("running").asLong()
        >= before.path("executions").path("running").asLong() + 1, after.path("executions").toString());
    for (String status : new String[] {"running", "completed", "failed", "cancelled"}) {
      assertTrue(after.path("executions").has(status), status);
    }
    assertTrue(after.path("redis").path("used_memory_bytes").asLong() > 0, after.path("redis").toString());
    assertTrue(!after.path("redis").path("used_memory_human").asText().isEmpty());
  }

  @Test
  void onlyOperatorsAndAdminsMayReadIt() {
    assertEquals(403, Http.request(uri, "GET", "/api/statistics", TestServer.token(Role.SUBMITTER), null, null)
        .status());
    assertEquals(403, Http.request(uri, "GET", "/api/statistics", TestServer.token(Role.WORKER), null, null)
        .status());
    assertEquals(401, Http.request(uri, "GET", "/api/statistics", null, null, null).status());
    assertEquals(200, Http.get(uri, "/api/statistics").status());
    assertEquals(405, Http.post(uri, "/api/statistics").status());
  }
}
