package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/queues/{queue}/drain} and {@code /clean} over a real socket against the test Redis. */
@ServerTest
class QueueAdminIT extends ApiServerTestBase {

  private static final String JSON = "application/json";

  private String name;
  private Queue queue;

  QueueAdminIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("admin");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(name);
  }

  private String path(String action) {
    return "/api/queues/" + name + "/" + action;
  }

  private void addWaitingPrioritizedAndDelayed() {
    queue.add("a", Map.of());
    queue.add("b", Map.of(), JobOptions.builder().priority(4).build());
    queue.add("c", Map.of(), JobOptions.builder().delay(60_000).build());
  }

  @Test
  void drainDeletesWaitingJobsAndDelayedOnlyWhenAsked() {
    addWaitingPrioritizedAndDelayed();

    Http.Reply kept = Http.post(uri, path("drain"));
    assertEquals(200, kept.status(), kept.body());
    assertEquals(2, kept.json().path("deleted").asLong(), kept.body());
    assertEquals(false, kept.json().path("delayed").asBoolean());
    assertEquals(0, queue.getJobCount(JobState.WAITING));
    assertEquals(0, queue.getJobCount(JobState.PRIORITIZED));
    assertEquals(1, queue.getJobCount(JobState.DELAYED), "delayed kept without delayed:true");

    Http.Reply all = Http.post(uri, path("drain"), "{\"delayed\":true}");
    assertEquals(200, all.status(), all.body());
    assertEquals(1, all.json().path("deleted").asLong());
    assertEquals(0, queue.getJobCount(JobState.DELAYED));
  }

  @Test
  void cleanDeletesOldFinishedJobsUpToTheLimit() {
    JobLifecycle worker = new JobLifecycle(TestServer.client(), queue.keys());
    FetchRequest fetch = new FetchRequest("tok", 30_000, 0, 0, "test-worker");
    for (int i = 0; i < 3; i++) {
      queue.add("done", Map.of());
      String id = worker.fetch(fetch).job().id();
      worker.complete(id, "tok", "1", null, null);
    }
    assertEquals(3, queue.getJobCount(JobState.COMPLETED));

    Http.Reply young = Http.post(uri, path("clean"), "{\"state\":\"completed\",\"grace_ms\":3600000}");
    assertEquals(200, young.status(), young.body());
    assertEquals(0, young.json().path("deleted").asInt(), "nothing is an hour old");
    assertEquals(1000, young.json().path("limit").asInt(), "default limit");

    Http.Reply two = Http.post(uri, path("clean"), "{\"state\":\"completed\",\"grace_ms\":0,\"limit\":2}");
    assertEquals(200, two.status(), two.body());
    JsonNode body = two.json();
    assertEquals(2, body.path("deleted").asInt(), body.toString());
    assertEquals(2, body.path("ids").size());
    assertEquals("completed", body.path("state").asText());
    assertEquals(1, queue.getJobCount(JobState.COMPLETED));
    body.path("ids").forEach(id -> assertTrue(queue.getJob(id.asText()).isEmpty(), "job hash deleted"));

    Http.Reply waiting = Http.post(uri, path("clean"), "{\"state\":\"wait\",\"grace_ms\":0}");
    assertEquals(200, waiting.status(), waiting.body());
    assertEquals("waiting", waiting.json().path("state").asText());
  }

  @Test
  void badBodiesAre400NamingEachFieldAndChangeNothing() {
    addWaitingPrioritizedAndDelayed();
    Http.Reply r = Http.post(uri, path("clean"), "{\"state\":\"sleeping\",\"grace_ms\":-1,\"limit\":0,\"x\":1}");
    assertEquals(400, r.status(), r.body());
    Set<String> fields = new HashSet<>();
    r.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertEquals(Set.of("state", "grace_ms", "limit", "x"), fields, r.body());

    Http.Reply missing = Http.post(uri, path("clean"), "{}");
    assertEquals(400, missing.status(), missing.body());
    Set<String> required = new HashSet<>();
    missing.json().path("errors").forEach(e -> required.add(e.path("field").asText()));
    assertEquals(Set.of("state", "grace_ms"), required, missing.body());

    for (String bad : List.of("", "[]", "{\"limit\":10001,\"state\":\"failed\",\"grace_ms\":0}",
        "{\"state\":7,\"grace_ms\":\"0\"}")) {
      assertEquals(400, Http.post(uri, path("clean"), bad).status(), bad);
    }
    Http.Reply drain = Http.post(uri, path("drain"), "{\"delayed\":\"yes\",\"all\":true}");
    assertEquals(400, drain.status(), drain.body());
    Set<String> drainFields = new HashSet<>();
    drain.json().path("errors").forEach(e -> drainFields.add(e.path("field").asText()));
    assertEquals(Set.of("delayed", "all"), drainFields, drain.body());
    assertEquals(400, Http.post(uri, "/api/queues/a:b/drain").status());
    assertEquals(405, Http.get(uri, path("drain")).status());
    assertEquals(405, Http.get(uri, path("clean")).status());

    assertEquals(1, queue.getJobCount(JobState.WAITING), "nothing deleted");
    assertEquals(1, queue.getJobCount(JobState.PRIORITIZED));
    assertEquals(1, queue.getJobCount(JobState.DELAYED));
  }

  @Test
  void onlyAdminsMayDrainOrClean() {
    addWaitingPrioritizedAndDelayed();
    for (Role role : List.of(Role.OPERATOR, Role.SUBMITTER, Role.WORKER)) {
      Http.Reply drain = Http.request(uri, "POST", path("drain"), TestServer.token(role), null, null);
      assertEquals(403, drain.status(), role + ": " + drain.body());
      Http.Reply clean = Http.request(uri, "POST", path("clean"), TestServer.token(role), JSON,
          "{\"state\":\"wait\",\"grace_ms\":0}");
      assertEquals(403, clean.status(), role + ": " + clean.body());
    }
    assertEquals(1, queue.getJobCount(JobState.WAITING), "nothing deleted");
    Http.Reply admin = Http.request(uri, "POST", path("drain"), TestServer.token(Role.ADMIN), null, null);
    assertEquals(200, admin.status(), admin.body());
    assertEquals(0, queue.getJobCount(JobState.WAITING));
  }
}
