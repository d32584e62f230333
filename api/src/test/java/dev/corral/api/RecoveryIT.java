package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.ActiveJobInfo;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerInfo;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerRunState;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** {@code POST /api/admin/recovery/run}: a dry run lists exactly what the real run then does, and changes nothing. */
@ServerTest
class RecoveryIT extends ApiServerTestBase {

  RecoveryIT(URI uri) {
    super(uri);
  }

  private final BrokerClient client = TestServer.client();

  /** Makes job {@code id} of {@code queue} look as after a check that saw it active and a lock that expired. */
  private void stall(String queue, String id) {
    String p = "bull:" + queue + ":";
    client.redisson().getList(p + "wait", StringCodec.INSTANCE).remove(id);
    client.redisson().getList(p + "active", StringCodec.INSTANCE).add(id);
    client.redisson().getSet(p + "stalled", StringCodec.INSTANCE).add(id);
  }

  /** Completes {@code jobId} the way a Node worker does, without Corral's DAG bookkeeping. */
  private void completeOutsideCorral(String queue, String jobId) {
    String p = "bull:" + queue + ":";
    client.redisson().getList(p + "wait", StringCodec.INSTANCE).remove(jobId);
    client.redisson().getScoredSortedSet(p + "completed", StringCodec.INSTANCE).add(System.currentTimeMillis(), jobId);
    client.redisson().getMap(p + jobId, StringCodec.INSTANCE).putAll(Map.of("returnvalue", "42",
        "finishedOn", String.valueOf(System.currentTimeMillis())));
  }

  private String registerDeadWorker(String queue, String jobId) throws InterruptedException {
    WorkerRegistry registry = new WorkerRegistry(client, "bull");
    String id = "dead-" + UUID.randomUUID().toString().substring(0, 8);
    long now = System.currentTimeMillis();
    WorkerRegistration reg = new WorkerRegistration(id, "h1", 7, now, "corral:test", List.of(queue), List.of(),
        Map.of(), 2, 0, 0, Map.of(), 100, 3);
    registry.register(reg);
    ActiveJobInfo job = new ActiveJobInfo(queue, jobId, "j", null, null, now);
    registry.heartbeat(reg, new Heartbeat(id, now, 0, WorkerRunState.RUNNING, 0.5,
        new WorkerInfo(id, now, "h1", 2, 2, 2, 1, 1, List.of()), List.of(job), 0, 0, 0));
    Thread.sleep(450); // 3 missed heartbeats of 100 ms: dead
    return id;
  }

  private static List<JsonNode> moves(JsonNode report) {
    List<JsonNode> out = new ArrayList<>();
    report.path("moves").forEach(out::add);
    return out;
  }

  private static boolean has(List<JsonNode> moves, String kind, String field, String value) {
    return moves.stream().anyMatch(m -> m.path("kind").asText().equals(kind) && m.path(field).asText().equals(value));
  }

  @Test
  void aDryRunListsExactlyTheMovesOfTheFollowingRealRunAndChangesNothing() throws Exception {
    String queue = RedisTestSupport.uniqueQueueName("recovery");
    String dagQueue = RedisTestSupport.uniqueQueueName("recovery-dag");
    try {
      String stalledId = client.queue(queue).add("j", Map.of("n", 1));
      String limitId = client.queue(queue).add("j", Map.of("n", 2));
      stall(queue, stalledId);
      stall(queue, limitId);
      client.redisson().getMap("bull:" + queue + ":" + limitId, StringCodec.INSTANCE).put("stc", "1");
      Http.Reply submitted = Http.post(uri, "/api/executions", "{\"workflow_id\":\"recovery-wf\",\"nodes\":["
          + "{\"id\":\"a\",\"queue\":\"" + dagQueue + "\"},{\"id\":\"b\",\"queue\":\"" + dagQueue
          + "\",\"depends_on\":[\"a\"]}]}");
      assertEquals(201, submitted.status(), submitted.body());
      String exec = submitted.json().path("id").asText();
      String nodeJob = "";
      for (JsonNode n : Http.get(uri, "/api/executions/" + exec).json().path("nodes")) {
        if (n.path("id").asText().equals("a")) {
          nodeJob = n.path("job_id").asText();
        }
      }
      completeOutsideCorral(dagQueue, nodeJob);
      String worker = registerDeadWorker(queue, stalledId);

      Http.Reply dry = Http.post(uri, "/api/admin/recovery/run", "{\"dry_run\":true}");
      assertEquals(200, dry.status(), dry.body());
      JsonNode dryReport = dry.json();
      assertTrue(dryReport.path("dry_run").asBoolean());
      List<JsonNode> planned = moves(dryReport);
      assertTrue(planned.stream().anyMatch(m -> m.path("job_id").asText().equals(stalledId)
          && m.path("queue").asText().equals(queue) && m.path("from").asText().equals("active")
          && m.path("to").asText().equals("wait") && m.path("reason").asText().equals("stalled")), dry.body());
      assertTrue(planned.stream().anyMatch(m -> m.path("job_id").asText().equals(limitId)
          && m.path("reason").asText().equals("stalled-limit")), dry.body());
      assertTrue(has(planned, "dead-worker", "worker_id", worker), dry.body());
      assertTrue(planned.stream().anyMatch(m -> m.path("worker_id").asText().equals(worker)
          && m.path("jobs").get(0).asText().equals(queue + ":" + stalledId)), dry.body());
      assertTrue(planned.stream().anyMatch(m -> m.path("kind").asText().equals("dag-node")
          && m.path("execution_id").asText().equals(exec) && m.path("node_id").asText().equals("a")
          && m.path("from").asText().equals("released") && m.path("to").asText().equals("completed")), dry.body());

      // nothing changed
      String p = "bull:" + queue + ":";
      assertTrue(client.redisson().getList(p + "active", StringCodec.INSTANCE).contains(stalledId));
      assertFalse(client.redisson().getBucket(p + "stalled-check").isExists(), "the throttle key is not set");
      assertTrue(new WorkerRegistry(client, "bull").get(worker).isPresent());
      assertEquals("released", client.redisson().getMap("bull:dag:" + exec + ":state", StringCodec.INSTANCE)
          .get("a"));

      Http.Reply real = Http.post(uri, "/api/admin/recovery/run", "{}");
      assertEquals(200, real.status(), real.body());
      assertFalse(real.json().path("dry_run").asBoolean(), "dry_run defaults to false");
      assertEquals(dryReport.path("moves"), real.json().path("moves"), "the dry run listed what the run did");

      assertTrue(client.redisson().getList(p + "wait", StringCodec.INSTANCE).contains(stalledId));
      assertFalse(client.redisson().getList(p + "active", StringCodec.INSTANCE).contains(limitId));
      assertEquals("job stalled more than allowable limit",
          client.redisson().getMap(p + limitId, StringCodec.INSTANCE).get("defa"));
      assertTrue(new WorkerRegistry(client, "bull").get(worker).isEmpty());
      assertEquals("completed", client.redisson().getMap("bull:dag:" + exec + ":state", StringCodec.INSTANCE)
          .get("a"));

      JsonNode again = Http.post(uri, "/api/admin/recovery/run", "{\"dry_run\":true}").json();
      assertTrue(again.path("throttled_queues").toString().contains(queue), "checked within the interval: " + again);
      assertFalse(moves(again).stream().anyMatch(m -> m.path("queue").asText().equals(queue)
          || m.path("worker_id").asText().equals(worker) || m.path("execution_id").asText().equals(exec)),
          "nothing left to recover: " + again);
    } finally {
      TestServer.deleteQueue(queue);
      TestServer.deleteQueue(dagQueue);
    }
  }

  @Test
  void recoveryAndLeaderAreAdminOnlyAndTheBodyIsChecked() {
    for (Role role : List.of(Role.OPERATOR, Role.WORKER, Role.SUBMITTER)) {
      assertEquals(403, Http.request(uri, "POST", "/api/admin/recovery/run", TestServer.token(role),
          "application/json", "{\"dry_run\":true}").status());
      assertEquals(403, Http.request(uri, "GET", "/api/admin/leader", TestServer.token(role), null, null).status());
    }
    Http.Reply bad = Http.post(uri, "/api/admin/recovery/run", "{\"dry_run\":\"yes\",\"force\":1}");
    assertEquals(400, bad.status(), bad.body());
    assertTrue(bad.body().contains("unknown field 'force'") && bad.body().contains("dry_run must be true or false"),
        bad.body());
    assertEquals(405, Http.get(uri, "/api/admin/recovery/run").status());
  }

  @Test
  void leaderNamesThisInstanceAndWhetherItLeads() {
    Http.Reply reply = Http.get(uri, "/api/admin/leader");
    assertEquals(200, reply.status(), reply.body());
    JsonNode body = reply.json();
    assertFalse(body.path("instance_id").asText().isEmpty(), body.toString());
    assertFalse(body.path("is_leader").asBoolean(), "the route-only test server takes no part in the election");
    assertEquals(10_000, body.path("ttl_ms").asLong());
    assertEquals(3_333, body.path("renew_period_ms").asLong());
  }
}
