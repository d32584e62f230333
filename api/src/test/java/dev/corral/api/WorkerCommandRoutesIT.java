package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker-side command routes (take pending, long-poll, ack) over a real socket against the test Redis. */
@ServerTest
class WorkerCommandRoutesIT extends ApiServerTestBase {

  private static final String JSON = "application/json";

  private final String id = "it-wc-" + UUID.randomUUID().toString().substring(0, 8);
  private final WorkerRegistry registry = new WorkerRegistry(TestServer.client(), dev.corral.broker.keys.QueueKeys.DEFAULT_PREFIX);

  WorkerCommandRoutesIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void register() {
    Http.Reply reg = as(Role.WORKER, "POST", "/api/workers/register", "{\"worker_id\":\"" + id
        + "\",\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1}");
    assertEquals(201, reg.status(), reg.body());
  }

  @AfterEach
  void cleanUp() {
    registry.deregister(id);
  }

  private Http.Reply as(Role role, String method, String path, String body) {
    return Http.request(uri, method, path, TestServer.token(role), body == null ? null : JSON, body);
  }

  private String send(String type) {
    Http.Reply sent = as(Role.OPERATOR, "POST", "/api/workers/" + id + "/commands", "{\"type\":\"" + type + "\"}");
    assertEquals(202, sent.status(), sent.body());
    return sent.json().get("command_id").asText();
  }

  private JsonNode pending(String query) {
    Http.Reply r = as(Role.WORKER, "GET", "/api/workers/" + id + "/commands/pending" + query, null);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void takeOnceThenAckOnce() {
    assertEquals(0, pending("").get("commands").size());
    String drain = send("drain");
    String pause = send("pause");

    JsonNode taken = pending("");
    assertEquals(2, taken.get("commands").size(), taken.toString());
    assertEquals(drain, taken.at("/commands/0/id").asText(), "oldest first");
    assertEquals("drain", taken.at("/commands/0/type").asText());
    assertEquals("operator", taken.at("/commands/0/requester").asText());
    assertEquals(pause, taken.at("/commands/1/id").asText());
    assertTrue(taken.get("taken_at").asLong() > 0);
    assertEquals(0, pending("").get("commands").size(), "handed out once");

    String ack = "/api/workers/" + id + "/commands/" + drain + "/ack";
    Http.Reply ok = as(Role.WORKER, "POST", ack, "{\"outcome\":\"done\",\"detail\":\"drained\"}");
    assertEquals(200, ok.status(), ok.body());
    assertEquals("done", ok.json().get("outcome").asText());
    Http.Reply twice = as(Role.WORKER, "POST", ack, "{\"outcome\":\"failed\"}");
    assertEquals(409, twice.status(), twice.body());
    assertTrue(twice.json().get("detail").asText().contains("acknowledged already (done"), twice.body());

    Http.Reply failed = as(Role.WORKER, "POST", "/api/workers/" + id + "/commands/" + pause + "/ack",
        "{\"outcome\":\"rejected\"}");
    assertEquals(200, failed.status(), failed.body());

    Http.Reply audit = as(Role.OPERATOR, "GET", "/api/workers/" + id + "/commands", null);
    assertEquals(2, audit.json().get("audit").size(), audit.body());
    assertEquals("rejected", audit.json().at("/audit/0/outcome").asText());
    assertEquals("drained", audit.json().at("/audit/1/detail").asText());
  }

  @Test
  void aLongPollReturnsWhenACommandArrives() throws Exception {
    long t0 = System.nanoTime();
    CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> pending("?wait_ms=20000"));
    Thread.sleep(500);
    String cmd = send("resume");
    JsonNode got = poll.get(10, TimeUnit.SECONDS);
    assertEquals(cmd, got.at("/commands/0/id").asText(), got.toString());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));

    long t1 = System.nanoTime();
    assertEquals(0, pending("?wait_ms=1200").get("commands").size());
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
    assertTrue(waited >= 1100, "waited " + waited + " ms");
  }

  @Test
  void refusals() {
    String w = "/api/workers/" + id;
    String cmd = send("pause");
    Http.Reply notTaken = as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{\"outcome\":\"done\"}");
    assertEquals(409, notTaken.status(), notTaken.body());
    assertTrue(notTaken.json().get("detail").asText().contains("has not been taken yet"), notTaken.body());

    assertEquals(404, as(Role.WORKER, "POST", w + "/commands/no-such-1/ack", "{\"outcome\":\"done\"}").status());
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{\"outcome\":\"ok\"}"), "outcome");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{\"outcome\":\"undelivered\"}"),
        "outcome");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{}"), "outcome");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{\"outcome\":\"done\",\"detail\":3}"),
        "detail");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack",
        "{\"outcome\":\"done\",\"detail\":\"" + "x".repeat(2049) + "\"}"), "detail");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", "{\"outcome\":\"done\",\"x\":1}"), "x");
    assertField(as(Role.WORKER, "POST", w + "/commands/" + cmd + "/ack", null), "body");
    assertField(as(Role.WORKER, "POST", w + "/commands/bad%20id/ack", "{\"outcome\":\"done\"}"), "command_id");
    assertField(as(Role.WORKER, "GET", w + "/commands/pending?wait_ms=30001", null), "wait_ms");
    assertField(as(Role.WORKER, "GET", w + "/commands/pending?wait_ms=-1", null), "wait_ms");
    assertField(as(Role.WORKER, "GET", "/api/workers/bad:id/commands/pending", null), "worker_id");

    assertEquals(404, as(Role.WORKER, "GET", "/api/workers/" + id + "x/commands/pending", null).status());
    assertEquals(403, as(Role.OPERATOR, "GET", w + "/commands/pending", null).status(), "operators do not take");
    assertEquals(405, as(Role.ADMIN, "POST", w + "/commands/pending", null).status());
    assertEquals(405, as(Role.ADMIN, "GET", w + "/commands/" + cmd + "/ack", null).status());
    assertEquals(1, pending("").get("commands").size(), "the refusals took nothing");
  }

  private static void assertField(Http.Reply reply, String field) {
    assertEquals(400, reply.status(), reply.body());
    assertEquals(field, reply.json().at("/errors/0/field").asText(), reply.body());
  }
}
