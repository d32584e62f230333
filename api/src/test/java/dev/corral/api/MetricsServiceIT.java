package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.Role;
import dev.corral.api.metrics.Exposition;
import dev.corral.broker.JobOptions;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over a real socket: the exposition parses strictly and its values follow Redis. */
@ServerTest
class MetricsServiceIT extends ApiServerTestBase {

  private String name;
  private Queue queue;
  private final String workerId = "it-mx-" + UUID.randomUUID().toString().substring(0, 8);

  MetricsServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("metrics");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void cleanUp() {
    TestServer.deleteQueue(name);
    Http.request(uri, "DELETE", "/api/workers/" + workerId, TestServer.token(Role.WORKER), null, null);
  }

  /** A scrape without any token, as Prometheus does. */
  private Exposition scrape() {
    Http.Reply r = Http.request(uri, "GET", "/metrics", null, null, null);
    assertEquals(200, r.status(), r.body());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
    return Exposition.parse(r.body());
  }

  @Test
  void queueGaugesFollowRedis() {
    queue.add("a", Map.of());
    queue.add("b", Map.of());
    queue.add("c", Map.of(), JobOptions.builder().delay(60_000).build());
    queue.pause();

    Exposition e = scrape();

    assertEquals(1, e.value("corral_redis_up"));
    assertEquals("gauge", e.types().get("corral_queue_jobs"));
    assertEquals(2, e.value("corral_queue_jobs", "queue", name, "state", "waiting"));
    assertEquals(1, e.value("corral_queue_jobs", "queue", name, "state", "delayed"));
    assertEquals(0, e.value("corral_queue_jobs", "queue", name, "state", "completed"));
    assertEquals(1, e.value("corral_queue_paused", "queue", name));
    assertEquals(0, e.value("corral_queue_completed_jobs", "queue", name));
    assertEquals(0, e.value("corral_queue_failed_jobs", "queue", name));
    assertTrue(e.value("corral_queues") >= 1);
    assertTrue(e.value("corral_redis_used_memory_bytes") > 0);
    for (String status : new String[] {"healthy", "unhealthy", "dead"}) {
      assertTrue(e.value("corral_workers", "status", status) >= 0, status);
    }
    for (String status : new String[] {"running", "completed", "failed", "cancelled"}) {
      assertTrue(e.value("corral_executions", "status", status) >= 0, status);
    }

    queue.resume();
    Exposition later = scrape();
    assertEquals(0, later.value("corral_queue_paused", "queue", name));
  }

  @Test
  void finishedTotalsComeFromTheWorkerMetricsOfQueuesThatCollectThem() {
    assertTrue(Double.isNaN(scrape().value("corral_queue_finished_total", "queue", name, "state", "completed")),
        "no sample for a queue without worker metrics");
    JobLifecycle lifecycle = new JobLifecycle(TestServer.client(), queue.keys(), 60);
    ScriptDriver driver = new ScriptDriver(queue);
    for (boolean complete : new boolean[] {true, true, false}) {
      driver.addTakeAndFinish(lifecycle, complete, KeepJobs.all());
    }

    Exposition e = scrape();
    assertEquals("counter", e.types().get("corral_queue_finished_total"));
    assertEquals(2, e.value("corral_queue_finished_total", "queue", name, "state", "completed"));
    assertEquals(1, e.value("corral_queue_finished_total", "queue", name, "state", "failed"));
  }

  @Test
  void httpRequestsAreCountedByRouteTemplateAndStatus() {
    String route = "/api/queues/{queue}/jobs/{id}";
    double before404 = orZero(scrape().value("corral_http_requests_total", "method", "GET", "route", route,
        "status", "404"));
    double before401 = orZero(scrape().value("corral_http_requests_total", "method", "GET", "route", route,
        "status", "401"));

    assertEquals(404, Http.get(uri, "/api/queues/" + name + "/jobs/nope-1").status());
    assertEquals(404, Http.get(uri, "/api/queues/" + name + "/jobs/nope-2").status());
    assertEquals(401, Http.request(uri, "GET", "/api/queues/" + name + "/jobs/x", null, null, null).status());
    assertEquals(400, Http.get(uri, "/api/queues/" + name + "/jobs/x?logs=maybe").status());

    Exposition e = scrape();
    assertEquals(before404 + 2, e.value("corral_http_requests_total", "method", "GET", "route", route, "status",
        "404"), "handler errors are counted with the status the error handler sent");
    assertEquals(before401 + 1, e.value("corral_http_requests_total", "method", "GET", "route", route, "status",
        "401"), "the guard's refusals are counted");
    assertTrue(e.value("corral_http_requests_total", "method", "GET", "route", route, "status", "400") >= 1);
    assertTrue(e.value("corral_http_request_duration_seconds_count", "method", "GET", "route", route) >= 4);
    assertTrue(e.samples().stream().noneMatch(s -> name.equals(s.labels().get("route"))
        || String.valueOf(s.labels().get("route")).contains(name)), "raw paths never become labels");
    assertTrue(e.value("corral_http_requests_total", "method", "GET", "route", "/metrics", "status", "200") >= 2);
  }

  @Test
  void workerCommandsSentThroughTheApiAreCounted() {
    double before = scrape().value("corral_api_worker_commands_sent_total", "type", "drain");
    Http.Reply reg = Http.request(uri, "POST", "/api/workers/register", TestServer.token(Role.WORKER),
        "application/json", "{\"worker_id\":\"" + workerId + "\",\"hostname\":\"h\",\"queues\":[\"" + name
            + "\"],\"concurrency\":1}");
    assertEquals(201, reg.status(), reg.body());
    Http.Reply sent = Http.request(uri, "POST", "/api/workers/" + workerId + "/commands",
        TestServer.token(Role.OPERATOR), "application/json", "{\"type\":\"drain\",\"reason\":\"test\"}");
    assertEquals(202, sent.status(), sent.body());
    Http.Reply refused = Http.request(uri, "POST", "/api/workers/nobody-" + workerId + "/commands",
        TestServer.token(Role.OPERATOR), "application/json", "{\"type\":\"drain\"}");
    assertEquals(404, refused.status(), refused.body());

    Exposition e = scrape();
    assertEquals(before + 1, e.value("corral_api_worker_commands_sent_total", "type", "drain"));
    assertTrue(e.value("corral_workers", "status", "healthy") >= 1);
    assertEquals("counter", e.types().get("corral_api_worker_commands_sent_total"));
  }

  @Test
  void onlyGetIsAllowed() {
    Http.Reply r = Http.request(uri, "POST", "/metrics", TestServer.token(Role.ADMIN), null, null);
    assertEquals(405, r.status(), r.body());
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
