package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job routes over a real socket against the test Redis. */
@ServerTest
class JobsServiceIT extends ApiServerTestBase {

  private String name;
  private Queue queue;

  JobsServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("jobs");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(name);
  }

  private String jobs() {
    return "/api/queues/" + name + "/jobs";
  }

  @Test
  void addThenGetReturnsTheStoredJob() {
    Http.Reply added = Http.post(uri, jobs(), """
        {"name":"email","data":{"to":"a@b.c"},"options":{"priority":5,"attempts":3,
         "backoff":{"type":"exponential","delay":1000},"remove_on_complete":10,"remove_on_fail":{"age":60}}}""");

    assertEquals(201, added.status(), added.body());
    String id = added.json().path("id").asText();
    Http.Reply got = Http.get(uri, jobs() + "/" + id);
    assertEquals(200, got.status(), got.body());
    JsonNode job = got.json();
    assertEquals(id, job.path("id").asText());
    assertEquals("email", job.path("name").asText());
    assertEquals("prioritized", job.path("state").asText());
    assertEquals("a@b.c", job.path("data").path("to").asText());
    assertEquals(5, job.path("priority").asInt());
    assertEquals(3, job.path("attempts").asInt());
    assertEquals(0, job.path("attempts_made").asInt());
    assertTrue(job.path("timestamp").asLong() > 0);
    assertEquals("exponential", job.path("options").path("backoff").path("type").asText());
    assertFalse(job.has("logs"), "no logs unless asked");
    assertEquals(1, queue.getJob(id).orElseThrow().opts().path("removeOnFail").path("age").asInt() / 60);
  }

  @Test
  void getWithLogsIncludesThem() {
    String id = queue.add("x", Map.of());
    queue.addLog(id, "line one");
    queue.addLog(id, "line two");

    JsonNode job = Http.get(uri, jobs() + "/" + id + "?logs=true").json();

    assertEquals(2, job.path("logs").path("count").asInt(), job.toString());
    assertEquals("line one", job.path("logs").path("lines").get(0).asText());
    assertEquals(400, Http.get(uri, jobs() + "/" + id + "?logs=maybe").status());
  }

  @Test
  void unknownJobIs404EverywhereAndNothingIsCreated() {
    for (Http.Reply r : List.of(Http.get(uri, jobs() + "/nope"), Http.delete(uri, jobs() + "/nope"),
        Http.post(uri, jobs() + "/nope/retry"), Http.post(uri, jobs() + "/nope/promote"))) {
      assertEquals(404, r.status(), r.body());
      assertEquals("not_found", r.json().path("error_type").asText());
    }
  }

  @Test
  void badBodiesAre400NamingEveryField() {
    Http.Reply r = Http.post(uri, jobs(), """
        {"name":7,"options":{"priority":-1,"attempts":"3","colour":"red","backoff":{"type":"linear"}},"extra":1}""");

    assertEquals(400, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals("invalid_request", body.path("error_type").asText());
    Set<String> fields = new HashSet<>();
    body.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertEquals(Set.of("name", "options.priority", "options.attempts", "options.colour", "options.backoff",
        "extra"), fields, body.toString());
    for (String bad : List.of("", "not json", "[1,2]", "{\"name\":\"a\"} trailing", "{\"options\":{}}")) {
      Http.Reply reply = Http.post(uri, jobs(), bad);
      assertEquals(400, reply.status(), bad + " -> " + reply.body());
      assertTrue(reply.json().path("errors").isArray(), reply.body());
    }
    assertEquals(0, queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum(), "nothing added");
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameJobOnce() throws Exception {
    String body = "{\"name\":\"charge\",\"data\":{\"amount\":5},\"idempotency_key\":\"order-42\"}";
    Http.Reply first = Http.post(uri, jobs(), body);
    Http.Reply second = Http.post(uri, jobs(), body);

    assertEquals(201, first.status(), first.body());
    assertEquals(200, second.status(), second.body());
    String id = first.json().path("id").asText();
    assertEquals(id, second.json().path("id").asText());
    assertEquals(1, queue.getJobCount(JobState.WAITING));

    Http.Reply lookup = Http.get(uri, "/api/idempotency/order-42?queue=" + name);
    assertEquals(200, lookup.status(), lookup.body());
    assertEquals(id, lookup.json().path("job_id").asText());
    assertEquals("waiting", lookup.json().path("state").asText());
    assertEquals(404, Http.get(uri, "/api/idempotency/other?queue=" + name).status());

    // concurrent requests with a new key: one 201, the rest 200, one job
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Http.Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> Http.post(uri, jobs(), "{\"name\":\"c\",\"idempotency_key\":\"race\"}"));
      }
      Set<String> ids = new HashSet<>();
      int created = 0;
      for (Future<Http.Reply> f : pool.invokeAll(calls)) {
        Http.Reply r = f.get();
        assertTrue(r.status() == 201 || r.status() == 200, r.body());
        created += r.status() == 201 ? 1 : 0;
        ids.add(r.json().path("id").asText());
      }
      assertEquals(1, created);
      assertEquals(1, ids.size(), ids.toString());
      assertEquals(2, queue.getJobCount(JobState.WAITING));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listPagesOverStatesWithTotal() {
    for (int i = 0; i < 5; i++) {
      queue.add(i % 2 == 0 ? "even" : "odd", Map.of("i", i));
    }
    queue.add("later", Map.of(), JobOptions.builder().delay(60_000).build());

    JsonNode all = Http.get(uri, jobs() + "?limit=4").json();
    assertEquals(6, all.path("total").asLong(), all.toString());
    assertEquals(4, all.path("jobs").size());
    JsonNode rest = Http.get(uri, jobs() + "?offset=4&limit=4").json();
    assertEquals(2, rest.path("jobs").size(), rest.toString());
    Set<String> seen = new HashSet<>();
    all.path("jobs").forEach(j -> seen.add(j.path("id").asText()));
    rest.path("jobs").forEach(j -> seen.add(j.path("id").asText()));
    assertEquals(6, seen.size(), "pages do not overlap");

    JsonNode delayed = Http.get(uri, jobs() + "?state=delayed").json();
    assertEquals(1, delayed.path("total").asLong());
    assertEquals("later", delayed.path("jobs").get(0).path("name").asText());
    assertEquals("delayed", delayed.path("jobs").get(0).path("state").asText());
    assertTrue(delayed.path("jobs").get(0).path("queued_at").asLong() > 0);

    JsonNode even = Http.get(uri, jobs() + "?name=even&limit=2").json();
    assertEquals(3, even.path("total").asLong(), even.toString());
    assertEquals(2, even.path("jobs").size());

    for (String bad : List.of("?limit=0", "?limit=1001", "?offset=-1", "?limit=x", "?state=sleeping")) {
      Http.Reply r = Http.get(uri, jobs() + bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      String field = bad.substring(1, bad.indexOf('='));
      assertEquals(field, r.json().path("errors").get(0).path("field").asText(), r.body());
    }
  }

  @Test
  void removeRetryAndPromote() {
    String delayed = queue.add("d", Map.of(), JobOptions.builder().delay(60_000).build());
    Http.Reply promoted = Http.post(uri, jobs() + "/" + delayed + "/promote");
    assertEquals(200, promoted.status(), promoted.body());
    assertEquals("waiting", promoted.json().path("state").asText());
    assertEquals(JobState.WAITING, queue.getState(delayed));

    Http.Reply again = Http.post(uri, jobs() + "/" + delayed + "/promote");
    assertEquals(409, again.status(), again.body());
    assertEquals("conflict", again.json().path("error_type").asText());
    assertEquals(409, Http.post(uri, jobs() + "/" + delayed + "/retry").status(), "a waiting job cannot be retried");

    Http.Reply removed = Http.delete(uri, jobs() + "/" + delayed);
    assertEquals(200, removed.status(), removed.body());
    assertTrue(queue.getJob(delayed).isEmpty());
    assertEquals(404, Http.get(uri, jobs() + "/" + delayed).status());
  }

  @Test
  void activeJobsAre409OnRemoveAndFinishedJobsShowTheirOutcome() {
    JobLifecycle worker = new JobLifecycle(TestServer.client(), queue.keys());
    String failing = queue.add("f", Map.of(), JobOptions.builder().attempts(1).build());
    String passing = queue.add("p", Map.of());
    FetchRequest fetch = new FetchRequest("tok", 30_000, 0, 0, "test-worker");
    String first = worker.fetch(fetch).job().id();
    assertEquals(failing, first, "FIFO");

    Http.Reply active = Http.delete(uri, jobs() + "/" + first);
    assertEquals(409, active.status(), active.body());
    assertTrue(active.json().path("detail").asText().contains("force=true"), active.body());
    Http.Reply forced = Http.delete(uri, jobs() + "/" + first + "?force=true");
    assertEquals(409, forced.status(), "still locked by its worker: " + forced.body());
    assertEquals(JobState.ACTIVE, queue.getState(first));
    assertEquals(409, Http.post(uri, jobs() + "/" + first + "/retry").status());

    worker.fail(first, "tok", "boom", "[\"trace\"]", null, 1, null);
    JsonNode failed = Http.get(uri, jobs() + "/" + first).json();
    assertEquals("failed", failed.path("state").asText(), failed.toString());
    assertEquals("boom", failed.path("failed_reason").asText());
    assertTrue(failed.path("finished_on").asLong() > 0);
    assertEquals(1, failed.path("attempts_made").asInt());

    Http.Reply retried = Http.post(uri, jobs() + "/" + first + "/retry");
    assertEquals(200, retried.status(), retried.body());
    assertEquals(JobState.WAITING, queue.getState(first));

    String second = worker.fetch(fetch).job().id();
    worker.complete(second, "tok", "{\"ok\":true}", null, null);
    JsonNode done = Http.get(uri, jobs() + "/" + second).json();
    assertEquals(passing, second);
    assertEquals("completed", done.path("state").asText(), done.toString());
    assertTrue(done.path("returnvalue").path("ok").asBoolean(), done.toString());
    assertTrue(done.path("processed_on").asLong() > 0);
  }

  @Test
  void listShowsDagNodesWithTheirExecutionAndWorkflowAndFiltersByName() {
    queue.add("plain", Map.of(), JobOptions.builder().priority(4).attempts(2).build());
    Http.Reply exec = Http.post(uri, "/api/executions", "{\"workflow_id\":\"list-wf\",\"nodes\":["
        + "{\"id\":\"first\",\"queue\":\"" + name + "\",\"job_name\":\"step\"},"
        + "{\"id\":\"second\",\"queue\":\"" + name + "\",\"job_name\":\"step\",\"depends_on\":[\"first\"]}]}");
    assertEquals(201, exec.status(), exec.body());
    String execId = exec.json().path("id").asText();

    JsonNode all = Http.get(uri, jobs()).json();
    assertEquals(3, all.path("total").asLong(), all.toString());
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    all.path("jobs").forEach(j -> byName.put(j.path("node_id").asText(j.path("name").asText()), j));
    JsonNode plain = byName.get("plain");
    assertEquals(4, plain.path("priority").asInt(), plain.toString());
    assertEquals(2, plain.path("attempts").asInt());
    assertTrue(plain.path("queued_at").asLong() > 0);
    assertFalse(plain.has("execution_id"), "not a DAG node: " + plain);
    assertFalse(plain.has("workflow_id"));
    for (String node : List.of("first", "second")) {
      JsonNode j = byName.get(node);
      assertEquals(execId, j.path("execution_id").asText(), j.toString());
      assertEquals("list-wf", j.path("workflow_id").asText(), j.toString());
      assertEquals("step", j.path("name").asText());
    }
    assertEquals("waiting-children", byName.get("second").path("state").asText());

    JsonNode steps = Http.get(uri, jobs() + "?name=step").json();
    assertEquals(2, steps.path("total").asLong(), "the filtered total, over every state: " + steps);
    assertFalse(steps.has("truncated"));
    steps.path("jobs").forEach(j -> assertEquals("step", j.path("name").asText()));
    assertEquals(1, Http.get(uri, jobs() + "?name=step&limit=1&offset=1").json().path("jobs").size());
    assertEquals(0, Http.get(uri, jobs() + "?name=nothing").json().path("total").asLong());
    Http.Reply tooLong = Http.get(uri, jobs() + "?name=" + "x".repeat(257));
    assertEquals(400, tooLong.status(), tooLong.body());
    assertEquals("name", tooLong.json().path("errors").get(0).path("field").asText());
  }
}
