package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.auth.Role;
import dev.corral.api.stream.StreamSettings;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/** {@code GET /api/stream} over a real socket, read line by line: queue events, heartbeats, executions, filters. */
@ServerTest
class StreamIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String Q = RedisTestSupport.uniqueQueueName("stream");
  private static final String OTHER_Q = RedisTestSupport.uniqueQueueName("stream-other");
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final int MAX_STREAMS = 3;

  private final URI uri;

  StreamIT(URI uri) {
    this.uri = uri;
  }

  @SetUpServer
  static void server(WebServerConfig.Builder server) {
    TestServer.configure(server);
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    TestServer.routing(routing, TestServer.SECURITY, new StreamSettings(MAX_STREAMS, Duration.ofSeconds(1), 1000));
  }

  @AfterAll
  static void cleanUp() {
    TestServer.deleteQueue(Q);
    TestServer.deleteQueue(OTHER_Q);
  }

  @org.junit.jupiter.api.AfterEach
  void released() throws InterruptedException {
    awaitNoSubscribers();
  }

  private SseClient open(String query, Role role) throws Exception {
    SseClient c = SseClient.open(uri, "/api/stream" + query, TestServer.token(role), null);
    assertEquals(200, c.status);
    assertTrue(c.contentType.startsWith("text/event-stream"), c.contentType);
    c.await("ready", 10);
    return c;
  }

  private static JsonNode data(SseClient.Event e) throws Exception {
    return JSON.readTree(e.data());
  }

  private JsonNode stats() {
    Http.Reply r = Http.get(uri, "/api/stream/stats");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void aJobAddedThroughTheBrokerIsAQueueEventAndOtherQueuesAreFilteredOut() throws Exception {
    try (SseClient c = open("?queue=" + Q, Role.OPERATOR)) {
      TestServer.client().queue(OTHER_Q).add("skip", Map.of());
      String id = TestServer.client().queue(Q).add("send", Map.of("to", "a@b.c"));
      SseClient.Event e = c.await("queue", 10);
      JsonNode d = data(e);
      assertEquals(Q, d.get("queue").asText(), e.data());
      assertEquals(id, d.get("job_id").asText(), e.data());
      assertTrue(e.id().matches("\\d+-\\d+"), e.id());
    }
  }

  @Test
  void aHeartbeatShowsUpAndOtherWorkersAreFilteredOut() throws Exception {
    String mine = "st-" + RUN + "-a";
    String other = "st-" + RUN + "-b";
    WorkerRegistry registry = new WorkerRegistry(TestServer.client(), dev.corral.broker.keys.QueueKeys.DEFAULT_PREFIX);
    try {
      for (String w : List.of(mine, other)) {
        assertEquals(201, Http.post(uri, "/api/workers/register", "{\"worker_id\":\"" + w
            + "\",\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1}").status());
      }
      try (SseClient c = open("?types=heartbeat&worker=" + mine, Role.ADMIN)) {
        assertEquals(200, Http.post(uri, "/api/workers/" + other + "/heartbeat", "{\"seq\":7}").status());
        assertEquals(200, Http.post(uri, "/api/workers/" + mine + "/heartbeat", "{\"seq\":8}").status());
        SseClient.Event e = c.await("heartbeat", 10);
        assertEquals(mine, data(e).get("worker_id").asText(), e.data());
        assertEquals(8, data(e).get("seq").asInt(), e.data());
        assertEquals(null, e.id(), "pub/sub events have no id");
      }
    } finally {
      registry.deregister(mine);
      registry.deregister(other);
    }
  }

  @Test
  void anExecutionShowsProgressForItsIdOnly() throws Exception {
    String exec = "st-" + RUN + "-e1";
    String other = "st-" + RUN + "-e2";
    try (SseClient c = open("?execution=" + exec, Role.SUBMITTER)) {
      for (String id : List.of(other, exec)) {
        Http.Reply r = Http.post(uri, "/api/executions", "{\"workflow_id\":\"wf\",\"execution_id\":\"" + id
            + "\",\"nodes\":[{\"id\":\"a\",\"queue\":\"" + Q + "\"}]}");
        assertEquals(201, r.status(), r.body());
      }
      SseClient.Event e = c.await("execution", 10);
      assertEquals(exec, data(e).get("execution_id").asText(), e.data());
      assertEquals("execution-started", data(e).get("event").asText(), e.data());
      Http.post(uri, "/api/executions/" + exec + "/cancel");
      SseClient.Event next = c.await("execution", 10);
      assertEquals(exec, data(next).get("execution_id").asText(), next.data());
    }
  }

  @Test
  void lastEventIdReplaysWhatCameAfterIt() throws Exception {
    TestServer.client().queue(Q).add("one", Map.of());
    TestServer.client().queue(Q).add("two", Map.of());
    List<String> ids = new ArrayList<>();
    TestServer.client().redisson().<String, String>getStream("bull:" + Q + ":events", StringCodec.INSTANCE)
        .range(StreamMessageId.MIN, StreamMessageId.MAX).keySet().forEach(id -> ids.add(id.toString()));
    assertTrue(ids.size() >= 2, ids.toString());
    String after = ids.get(ids.size() - 2);
    try (SseClient c = SseClient.open(uri, "/api/stream?types=queue&queue=" + Q, Http.ADMIN_TOKEN, after)) {
      c.await("ready", 10);
      SseClient.Event e = c.await("queue", 10);
      assertEquals(ids.get(ids.size() - 1), e.id(), "the entry after Last-Event-ID, and only it");
    }
  }

  @Test
  void keepalivesAndDisconnectReleaseTheReaders() throws Exception {
    SseClient c = open("?types=heartbeat,queue&queue=" + Q, Role.OPERATOR);
    assertEquals(1, stats().get("subscribers").asInt());
    assertEquals("[\"heartbeat\",\"queue:" + Q + "\"]", stats().get("sources").toString());
    SseClient.Event comment = null;
    for (int i = 0; i < 5 && comment == null; i++) {
      SseClient.Event e = c.next(3);
      if (e != null && e.event().equals(":")) {
        comment = e;
      }
    }
    assertEquals("keepalive", comment == null ? null : comment.data());
    c.close();
    awaitNoSubscribers();
    assertEquals(0, stats().get("sources").size(), "no reader runs for nobody");
  }

  @Test
  void refusals() throws Exception {
    assertEquals(403, Http.request(uri, "GET", "/api/stream", TestServer.token(Role.WORKER), null, null).status());
    Http.Reply sub = Http.request(uri, "GET", "/api/stream", TestServer.token(Role.SUBMITTER), null, null);
    assertEquals(403, sub.status(), sub.body());
    Http.Reply bad = Http.get(uri, "/api/stream?types=jobs");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("types", bad.json().at("/errors/0/field").asText());
    assertEquals(405, Http.post(uri, "/api/stream").status());

    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_STREAMS; i++) {
        open.add(open("?types=heartbeat", Role.OPERATOR));
      }
      Http.Reply full = Http.get(uri, "/api/stream?types=heartbeat");
      assertEquals(503, full.status(), full.body());
      assertEquals("too_many_streams", full.json().get("error_type").asText());
      try (SseClient eventSource = SseClient.open(uri, "/api/stream", Http.ADMIN_TOKEN, null)) {
        assertEquals(503, eventSource.status);
        assertTrue(eventSource.contentType.startsWith("application/json"), "JSON even for Accept: text/event-stream");
      }
    } finally {
      for (SseClient c : open) {
        c.close();
      }
    }
    awaitNoSubscribers();
  }

  private void awaitNoSubscribers() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (stats().get("subscribers").asInt() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, stats().get("subscribers").asInt(), "every disconnect was noticed");
  }
}
