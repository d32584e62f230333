package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.workers.CommandOutcome;
import dev.corral.broker.workers.StuckEvent;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.StuckReason;
import dev.corral.broker.workers.WorkerCommand;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker routes and the stuck history route over a real socket against the test Redis. */
@ServerTest
class WorkersServiceIT extends ApiServerTestBase {

  private static final String JSON = "application/json";

  private final String id = "it-w-" + UUID.randomUUID().toString().substring(0, 8);
  private final WorkerRegistry registry = new WorkerRegistry(TestServer.client(), dev.corral.broker.keys.QueueKeys.DEFAULT_PREFIX);

  WorkersServiceIT(URI uri) {
    super(uri);
  }

  @AfterEach
  void cleanUp() {
    registry.deregister(id);
  }

  private String registration(String workerId) {
    return "{\"worker_id\":\"" + workerId + "\",\"hostname\":\"h1\",\"pid\":42,\"version\":\"py:1.0\","
        + "\"queues\":[\"emails\"],\"concurrency\":2,\"heartbeat_interval_ms\":5000,\"dead_after_missed\":3,"
        + "\"labels\":{\"lang\":\"python\"}}";
  }

  private static final String HEARTBEAT = "{\"seq\":1,\"state\":\"running\",\"load\":0.5,"
      + "\"info\":{\"min_workers\":1,\"max_workers\":2,\"pool_size\":2,\"idle_count\":1,\"busy_count\":1,"
      + "\"processes\":[{\"pid\":101,\"process_id\":\"p1\",\"state\":\"busy\"},"
      + "{\"pid\":102,\"process_id\":\"p2\",\"state\":\"idle\"}]},"
      + "\"jobs\":[{\"queue\":\"emails\",\"job_id\":\"7\",\"name\":\"send\"}],\"processed\":3,\"failed\":1}";

  private Http.Reply as(Role role, String method, String path, String body) {
    return Http.request(uri, method, path, TestServer.token(role), body == null ? null : JSON, body);
  }

  @Test
  void aMissingBodyIsA400NotA500() {
    for (String path : List.of("/api/workers/register", "/api/workers/" + id + "/heartbeat",
        "/api/workers/" + id + "/commands")) {
      Http.Reply reply = as(Role.ADMIN, "POST", path, null);
      assertEquals(400, reply.status(), path + ": " + reply.body());
      assertEquals("body", reply.json().path("errors").path(0).path("field").asText(), reply.body());
    }
  }

  @Test
  void lifecycle() {
    Http.Reply reg = as(Role.WORKER, "POST", "/api/workers/register", registration(id));
    assertEquals(201, reg.status(), reg.body());
    assertEquals(id, reg.json().get("worker_id").asText());

    Http.Reply again = as(Role.WORKER, "POST", "/api/workers/register", registration(id));
    assertEquals(409, again.status(), again.body());

    Http.Reply hb = as(Role.WORKER, "POST", "/api/workers/" + id + "/heartbeat", HEARTBEAT);
    assertEquals(200, hb.status(), hb.body());
    assertEquals(0, hb.json().get("pending_commands").asInt());

    Http.Reply list = as(Role.OPERATOR, "GET", "/api/workers", null);
    assertEquals(200, list.status(), list.body());
    JsonNode mine = null;
    for (JsonNode w : list.json().get("workers")) {
      if (w.get("worker_id").asText().equals(id)) {
        mine = w;
      }
    }
    assertTrue(mine != null, list.body());
    assertEquals("healthy", mine.get("liveness").asText());
    assertEquals(2, mine.get("processes").asInt());
    assertEquals(1, mine.get("executions").asInt());

    Http.Reply one = as(Role.OPERATOR, "GET", "/api/workers/" + id, null);
    assertEquals(200, one.status(), one.body());
    assertEquals(3, one.json().at("/heartbeat/processed").asInt());
    assertEquals("p1", one.json().at("/heartbeat/info/processes/0/process_id").asText());
    assertEquals("python", one.json().at("/registration/labels/lang").asText());

    Http.Reply cmd = as(Role.OPERATOR, "POST", "/api/workers/" + id + "/commands",
        "{\"type\":\"drain\",\"reason\":\"deploy\",\"requester\":\"someone\"}");
    assertEquals(202, cmd.status(), cmd.body());
    String commandId = cmd.json().get("command_id").asText();
    Http.Reply recycle = as(Role.OPERATOR, "POST", "/api/workers/" + id + "/processes/101/recycle",
        "{\"reason\":\"leak\"}");
    assertEquals(202, recycle.status(), recycle.body());
    Http.Reply forbidden = as(Role.WORKER, "POST", "/api/workers/" + id + "/commands", "{\"type\":\"pause\"}");
    assertEquals(403, forbidden.status(), forbidden.body());

    WorkerCommands commands = new WorkerCommands(TestServer.client(), registry);
    List<WorkerCommand> taken = commands.take(id);
    assertEquals(2, taken.size());
    assertEquals("operator", taken.get(0).requester());
    assertEquals(101L, taken.get(1).pid());
    taken.forEach(c -> commands.ack(c, System.currentTimeMillis(), CommandOutcome.DONE, "ok"));

    Http.Reply audit = as(Role.OPERATOR, "GET", "/api/workers/" + id + "/commands", null);
    assertEquals(200, audit.status(), audit.body());
    assertEquals(2, audit.json().get("audit").size(), audit.body());
    boolean found = false;
    for (JsonNode e : audit.json().get("audit")) {
      if (e.at("/command/id").asText().equals(commandId)) {
        found = true;
        assertEquals("done", e.get("outcome").asText());
        assertEquals("drain", e.at("/command/type").asText());
      }
    }
    assertTrue(found, audit.body());

    assertEquals(204, as(Role.WORKER, "DELETE", "/api/workers/" + id, null).status());
    assertEquals(404, as(Role.OPERATOR, "GET", "/api/workers/" + id, null).status());
    Http.Reply gone = as(Role.WORKER, "POST", "/api/workers/" + id + "/heartbeat", HEARTBEAT);
    assertEquals(404, gone.status(), gone.body());
    assertEquals(404, as(Role.WORKER, "DELETE", "/api/workers/" + id, null).status());
    assertEquals(404, as(Role.OPERATOR, "POST", "/api/workers/" + id + "/commands", "{\"type\":\"pause\"}")
        .status());
  }

  @Test
  void invalidBodiesListTheirProblems() {
    Http.Reply r = as(Role.WORKER, "POST", "/api/workers/register", "{\"worker_id\":\"" + id + "\",\"colour\":1}");
    assertEquals(400, r.status(), r.body());
    String body = r.body();
    assertTrue(body.contains("colour") && body.contains("hostname") && body.contains("queues"), body);

    Http.Reply bad = as(Role.WORKER, "POST", "/api/workers/register",
        registration(id).replace("\"concurrency\":2", "\"concurrency\":0"));
    assertEquals(400, bad.status(), bad.body());
    assertEquals("concurrency", bad.json().at("/errors/0/field").asText(), bad.body());

    assertEquals(400, as(Role.WORKER, "POST", "/api/workers/register", "[]").status());
    assertEquals(201, as(Role.WORKER, "POST", "/api/workers/register", registration(id)).status());
    Http.Reply type = as(Role.OPERATOR, "POST", "/api/workers/" + id + "/commands", "{\"type\":\"explode\"}");
    assertEquals(400, type.status(), type.body());
    assertEquals(400, as(Role.OPERATOR, "POST", "/api/workers/" + id + "/commands", "{}").status());
    assertEquals(400, as(Role.OPERATOR, "POST", "/api/workers/" + id + "/processes/abc/recycle", null).status());
    Http.Reply wrongId = as(Role.WORKER, "POST", "/api/workers/" + id + "/heartbeat", "{\"worker_id\":\"other\"}");
    assertEquals(400, wrongId.status(), wrongId.body());
    assertEquals(400, as(Role.OPERATOR, "GET", "/api/workers/bad:id", null).status());
    assertEquals(405, as(Role.ADMIN, "PUT", "/api/workers/" + id, "{}").status());
    assertEquals(405, as(Role.ADMIN, "DELETE", "/api/workers/" + id + "/commands", null).status());
    assertEquals(403, as(Role.SUBMITTER, "GET", "/api/workers", null).status());
  }

  @Test
  void stuckHistoryOverHttp() {
    String wf = "wf-" + UUID.randomUUID().toString().substring(0, 8);
    new StuckHistory(TestServer.client(), registry).record(List.of(
        new StuckEvent("emails", "1", "send", "ex1", wf, null, StuckReason.STALLED, "stalled once", 0),
        new StuckEvent("emails", "2", "send", "ex1", wf, null, StuckReason.TIMEOUT, "too slow", 0)));
    Http.Reply r = as(Role.OPERATOR, "GET", "/api/stuck-history?hours=24&workflow=" + wf, null);
    assertEquals(200, r.status(), r.body());
    JsonNode groups = r.json().get("groups");
    assertEquals(1, groups.size(), r.body());
    assertEquals(2, groups.get(0).get("count").asInt());
    assertEquals(1, groups.get(0).at("/reasons/timeout").asInt());
    assertTrue(groups.get(0).get("last_at").asLong() > 0);
    assertEquals(400, as(Role.OPERATOR, "GET", "/api/stuck-history?hours=0", null).status());
    assertEquals(400, as(Role.OPERATOR, "GET", "/api/stuck-history?hours=721", null).status());
    assertEquals(405, as(Role.ADMIN, "POST", "/api/stuck-history", null).status());
    assertEquals(403, as(Role.WORKER, "GET", "/api/stuck-history", null).status());
  }
}
