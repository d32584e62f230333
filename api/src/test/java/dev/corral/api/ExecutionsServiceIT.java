package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The execution routes over a real socket against the test Redis (no worker: states after submit and cancel). */
@ServerTest
class ExecutionsServiceIT extends ApiServerTestBase {

  private String queueName;
  private Queue queue;
  private String workflow;

  ExecutionsServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void names() {
    queueName = RedisTestSupport.uniqueQueueName("dag");
    queue = TestServer.client().queue(queueName);
    workflow = "wf-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(queueName);
  }

  private String spec(String extra) {
    return """
        {"workflow_id":"%s","workflow_name":"Nightly",%s"nodes":[
          {"id":"extract","queue":"%s","data":{"day":1}},
          {"id":"clean","queue":"%s","depends_on":["extract"],"options":{"attempts":2}},
          {"id":"load","queue":"%s","job_name":"load-it","depends_on":["clean","extract"],"failure_policy":"skip"}]}
        """.formatted(workflow, extra, queueName, queueName, queueName);
  }

  @Test
  void submitGetAndCancel() {
    Http.Reply submitted = Http.post(uri, "/api/executions", spec(""));
    assertEquals(201, submitted.status(), submitted.body());
    String id = submitted.json().path("id").asText();

    Http.Reply got = Http.get(uri, "/api/executions/" + id);
    assertEquals(200, got.status(), got.body());
    JsonNode e = got.json();
    assertEquals("running", e.path("status").asText());
    assertEquals(workflow, e.path("workflow_id").asText());
    assertEquals("Nightly", e.path("workflow_name").asText());
    assertTrue(e.path("started_at").asLong() > 0);
    assertFalse(e.has("completed_at"));
    assertEquals(3, e.path("totals").path("total").asInt());
    assertEquals(3, e.path("totals").path("waiting").asInt(), e.toString());
    Map<String, JsonNode> nodes = new HashMap<>();
    e.path("nodes").forEach(n -> nodes.put(n.path("id").asText(), n));
    assertEquals("released", nodes.get("extract").path("state").asText());
    assertEquals("held", nodes.get("load").path("state").asText());
    String extractJob = nodes.get("extract").path("job_id").asText();
    assertEquals(queueName, nodes.get("extract").path("queue").asText());
    assertEquals(JobState.WAITING, queue.getState(extractJob));

    // the node's job knows its execution
    JsonNode job = Http.get(uri, "/api/queues/" + queueName + "/jobs/" + extractJob).json();
    assertEquals(id, job.path("execution_id").asText(), job.toString());
    assertEquals("extract", job.path("node_id").asText());
    JsonNode listed = Http.get(uri, "/api/queues/" + queueName + "/jobs?state=waiting").json();
    assertEquals(id, listed.path("jobs").get(0).path("execution_id").asText(), listed.toString());

    Http.Reply cancelled = Http.post(uri, "/api/executions/" + id + "/cancel");
    assertEquals(200, cancelled.status(), cancelled.body());
    assertTrue(cancelled.json().path("cancelled").asBoolean());
    assertEquals("cancelled", cancelled.json().path("status").asText());
    JsonNode after = Http.get(uri, "/api/executions/" + id).json();
    assertEquals("cancelled", after.path("status").asText());
    assertEquals(3, after.path("totals").path("cancelled").asInt(), after.toString());
    assertTrue(after.path("completed_at").asLong() > 0);
    assertTrue(queue.getJob(extractJob).isEmpty(), "the not-started node's job was removed");

    Http.Reply twice = Http.post(uri, "/api/executions/" + id + "/cancel");
    assertEquals(200, twice.status(), twice.body());
    assertFalse(twice.json().path("cancelled").asBoolean());
  }

  @Test
  void unknownExecutionsAre404AndBadIds400() {
    assertEquals(404, Http.get(uri, "/api/executions/nope-" + UUID.randomUUID()).status());
    assertEquals(404, Http.post(uri, "/api/executions/nope-" + UUID.randomUUID() + "/cancel").status());
    Http.Reply bad = Http.get(uri, "/api/executions/a%20b");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("id", bad.json().path("errors").get(0).path("field").asText());
  }

  @Test
  void theSameIdempotencyKeyReturnsTheFirstExecution() {
    String key = "idem-" + UUID.randomUUID();
    Http.Reply first = Http.post(uri, "/api/executions", spec("\"idempotency_key\":\"" + key + "\","));
    Http.Reply second = Http.post(uri, "/api/executions", spec("\"idempotency_key\":\"" + key + "\","));

    assertEquals(201, first.status(), first.body());
    assertEquals(200, second.status(), second.body());
    String id = first.json().path("id").asText();
    assertEquals(id, second.json().path("id").asText());
    assertEquals(3, queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum(), "one set of jobs");
    String given = "exec-" + UUID.randomUUID();
    String both = spec("\"idempotency_key\":\"" + key + "\",\"execution_id\":\"" + given + "\",");
    Http.Reply third = Http.post(uri, "/api/executions", both);
    assertEquals(200, third.status(), third.body());
    assertEquals(id, third.json().path("id").asText());
    String key2 = key + "-2";
    String fresh = spec("\"idempotency_key\":\"" + key2 + "\",\"execution_id\":\"" + given + "\",");
    assertEquals(201, Http.post(uri, "/api/executions", fresh).status());
    Http.Reply repeated = Http.post(uri, "/api/executions", fresh);
    assertEquals(200, repeated.status(), "same id and key again: " + repeated.body());
    assertEquals(given, repeated.json().path("id").asText());
    assertEquals(6, queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum(), "two sets of jobs");
    Http.Reply lookup = Http.get(uri, "/api/idempotency/" + key);
    assertEquals(id, lookup.json().path("execution_id").asText(), lookup.body());
  }

  @Test
  void aTakenExecutionIdIs409() {
    String id = "exec-" + UUID.randomUUID();
    assertEquals(201, Http.post(uri, "/api/executions", spec("\"execution_id\":\"" + id + "\",")).status());

    Http.Reply again = Http.post(uri, "/api/executions", spec("\"execution_id\":\"" + id + "\","));

    assertEquals(409, again.status(), again.body());
    assertEquals("conflict", again.json().path("error_type").asText());
    assertEquals("execution_id", again.json().path("errors").get(0).path("field").asText());
  }

  @Test
  void everyValidationProblemIsListed() {
    Http.Reply r = Http.post(uri, "/api/executions", """
        {"workflow_id":"bad id","parallelism":-1,"colour":1,"nodes":[
          {"id":"a","queue":"q:x","depends_on":["ghost"]},
          {"id":"b","queue":"%s","depends_on":["c"],"options":{"remove_on_complete":true,"prio":1}},
          {"id":"c","queue":"%s","depends_on":["b"],"failure_policy":"explode"},
          {"id":"a","queue":"%s"}]}""".formatted(queueName, queueName, queueName));

    assertEquals(400, r.status(), r.body());
    JsonNode errors = r.json().path("errors");
    Map<String, String> byField = new HashMap<>();
    errors.forEach(e -> byField.merge(e.path("field").asText(), e.path("node").asText(""), (x, y) -> x));
    for (String field : new String[] {"workflow_id", "parallelism", "colour", "nodes[0].queue",
        "nodes[0].depends_on", "nodes[1].options.prio", "nodes[2].failure_policy", "nodes[3].id"}) {
      assertTrue(byField.containsKey(field), field + " in " + errors);
    }
    assertEquals("a", byField.get("nodes[0].depends_on"));
    assertTrue(errors.toString().contains("cycle"), "the b-c cycle: " + errors);
    assertTrue(errors.size() >= 9, errors.toString());
    assertEquals(0, queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum(), "nothing written");
  }

  @Test
  void listFiltersByWorkflowAndStatusAndPages() {
    String a = Http.post(uri, "/api/executions", spec("")).json().path("id").asText();
    String b = Http.post(uri, "/api/executions", spec("")).json().path("id").asText();
    Http.post(uri, "/api/executions/" + a + "/cancel");

    JsonNode all = Http.get(uri, "/api/executions?workflow=" + workflow).json();
    assertEquals(2, all.path("executions").size(), all.toString());
    assertEquals(b, all.path("executions").get(0).path("id").asText(), "newest first");
    JsonNode running = Http.get(uri, "/api/executions?workflow=" + workflow + "&status=running").json();
    assertEquals(1, running.path("executions").size(), running.toString());
    assertEquals(b, running.path("executions").get(0).path("id").asText());
    assertEquals(3, running.path("executions").get(0).path("total").asInt());
    JsonNode second = Http.get(uri, "/api/executions?workflow=" + workflow + "&offset=1&limit=1").json();
    assertEquals(a, second.path("executions").get(0).path("id").asText(), second.toString());
    JsonNode cancelled = Http.get(uri, "/api/executions?status=cancelled&limit=1000").json();
    assertTrue(cancelled.toString().contains(a));

    for (String bad : new String[] {"?status=sleeping", "?limit=0", "?offset=x", "?workflow=a%20b"}) {
      Http.Reply r = Http.get(uri, "/api/executions" + bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertEquals(bad.substring(1, bad.indexOf('=')), r.json().path("errors").get(0).path("field").asText());
    }
  }
}
