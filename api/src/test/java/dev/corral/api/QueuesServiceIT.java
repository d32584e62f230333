package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.BlockingConnection;
import dev.corral.broker.Corral;
import dev.corral.broker.JobOptions;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.redisson.client.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue routes (list, one queue, pause, resume) over a real socket against the test Redis. */
@ServerTest
class QueuesServiceIT extends ApiServerTestBase {

  private String name;
  private Queue queue;

  QueuesServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("api");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(name);
  }

  @Test
  void countsReflectAddedJobs() {
    queue.add("email", Map.of("to", "a@b.c"));
    queue.add("email", Map.of("to", "d@e.f"));
    queue.add("later", Map.of(), JobOptions.builder().delay(60_000).build());

    Http.Reply reply = Http.get(uri, "/api/queues/" + name);

    assertEquals(200, reply.status(), reply.body());
    JsonNode body = reply.json();
    assertEquals(name, body.path("name").asText());
    assertFalse(body.path("paused").asBoolean());
    JsonNode counts = body.path("counts");
    assertEquals(2, counts.path("waiting").asLong(), counts.toString());
    assertEquals(1, counts.path("delayed").asLong(), counts.toString());
    for (String state : new String[] {"active", "completed", "failed", "prioritized", "waiting-children"}) {
      assertEquals(0, counts.path(state).asLong(-1), state + " in " + counts);
    }
    assertEquals(Corral.LIBRARY, body.path("meta").path("library").asText());
    assertEquals(10_000, body.path("meta").path("max_len_events").asInt(), body.toString());
  }

  @Test
  void aQueueNeverUsedHasZeroCounts() {
    String fresh = RedisTestSupport.uniqueQueueName("fresh");
    try {
      Http.Reply reply = Http.get(uri, "/api/queues/" + fresh);

      assertEquals(200, reply.status(), reply.body());
      reply.json().path("counts").forEach(count -> assertEquals(0, count.asLong(-1)));
    } finally {
      TestServer.deleteQueue(fresh);
    }
  }

  @Test
  void pauseAndResumeAreStoredInRedis() {
    Http.Reply paused = Http.post(uri, "/api/queues/" + name + "/pause");

    assertEquals(200, paused.status(), paused.body());
    assertEquals(name, paused.json().path("name").asText());
    assertTrue(paused.json().path("paused").asBoolean());
    assertTrue(queue.isPaused(), "meta.paused set in Redis");
    assertTrue(Http.get(uri, "/api/queues/" + name).json().path("paused").asBoolean());

    Http.Reply resumed = Http.post(uri, "/api/queues/" + name + "/resume");

    assertEquals(200, resumed.status(), resumed.body());
    assertFalse(resumed.json().path("paused").asBoolean());
    assertFalse(queue.isPaused(), "meta.paused removed from Redis");
  }

  @Test
  void aQueueNameWithAColonIs400() {
    for (Http.Reply reply : new Http.Reply[] {
        Http.get(uri, "/api/queues/bad:name"), Http.post(uri, "/api/queues/bad:name/pause")}) {
      assertEquals(400, reply.status(), reply.body());
      JsonNode body = reply.json();
      assertEquals("invalid_request", body.path("error_type").asText());
      assertTrue(body.path("detail").asText().contains("cannot contain ':'"), body.toString());
    }
    assertFalse(TestServer.client().redisson().getKeys().getKeysByPattern("bull:bad:*").iterator().hasNext(),
        "nothing written for a rejected name");
  }

  /** Every queue of {@code GET /api/queues}, by name, read page by page. */
  private Map<String, JsonNode> allListed() {
    Map<String, JsonNode> byName = new HashMap<>();
    int total = Integer.MAX_VALUE;
    for (int offset = 0; offset < total; offset += 1000) {
      Http.Reply page = Http.get(uri, "/api/queues?limit=1000&offset=" + offset);
      assertEquals(200, page.status(), page.body());
      total = page.json().path("total").asInt();
      page.json().path("queues").forEach(q -> byName.put(q.path("name").asText(), q));
    }
    assertEquals(total, byName.size(), "total counts every queue once");
    return byName;
  }

  @Test
  void listFindsQueuesByTheirMetaOrIdKeyAndWritesNothing() {
    queue.add("email", Map.of());
    queue.add("email", Map.of());
    queue.pause();
    String idOnly = RedisTestSupport.uniqueQueueName("idonly");
    var redis = TestServer.client().redisson();
    redis.getBucket("bull:" + idOnly + ":id", StringCodec.INSTANCE).set("5");
    redis.getBucket("bull:" + name + ":odd:meta", StringCodec.INSTANCE).set("x");
    try {
      Map<String, JsonNode> listed = allListed();

      JsonNode mine = listed.get(name);
      assertTrue(mine != null, "listed: " + listed.keySet());
      assertEquals(2, mine.path("counts").path("waiting").asLong(), mine.toString());
      assertTrue(mine.path("paused").asBoolean(), mine.toString());
      JsonNode fromId = listed.get(idOnly);
      assertTrue(fromId != null, "a queue with only an :id key is found");
      assertFalse(fromId.path("paused").asBoolean());
      fromId.path("counts").forEach(c -> assertEquals(0, c.asLong(-1)));
      assertTrue(listed.keySet().stream().noneMatch(n -> n.contains(":")), listed.keySet().toString());
      assertFalse(redis.getKeys().countExists("bull:" + idOnly + ":meta") > 0, "listing wrote no meta");
    } finally {
      TestServer.deleteQueue(idOnly);
    }
  }

  @Test
  void listPagesAreSortedAndBadPagingIs400() {
    queue.add("x", Map.of());
    JsonNode page = Http.get(uri, "/api/queues?limit=1000").json();
    List<String> names = new java.util.ArrayList<>();
    page.path("queues").forEach(q -> names.add(q.path("name").asText()));
    assertEquals(names.stream().sorted().toList(), names);
    assertEquals(1, Http.get(uri, "/api/queues?limit=1").json().path("queues").size());
    for (String bad : List.of("?limit=0", "?limit=1001", "?offset=-1", "?offset=x")) {
      Http.Reply r = Http.get(uri, "/api/queues" + bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertEquals(bad.substring(1, bad.indexOf('=')), r.json().path("errors").get(0).path("field").asText());
    }
    assertEquals(405, Http.post(uri, "/api/queues").status());
  }

  @Test
  void oneQueueShowsPrioritiesNamesAndWorkers() {
    queue.add("email", Map.of());
    queue.add("email", Map.of());
    queue.add("sms", Map.of(), JobOptions.builder().priority(3).build());
    queue.add("sms", Map.of(), JobOptions.builder().priority(3).build());
    queue.add("email", Map.of(), JobOptions.builder().priority(2_000_000).build());
    queue.add("later", Map.of(), JobOptions.builder().delay(60_000).build());

    JsonNode body = Http.get(uri, "/api/queues/" + name).json();

    assertEquals(2, body.path("priorities").path("0").asLong(), body.toString());
    assertEquals(2, body.path("priorities").path("3").asLong(), body.toString());
    assertEquals(1, body.path("priorities").path("2000000").asLong(), body.toString());
    assertEquals(3, body.path("priorities").size());
    JsonNode names = body.path("names");
    assertEquals(6, names.path("scanned").asLong(), names.toString());
    assertFalse(names.path("sampled").asBoolean());
    assertEquals(3, names.path("counts").path("email").asLong());
    assertEquals(2, names.path("counts").path("sms").asLong());
    assertEquals(1, names.path("counts").path("later").asLong());
    assertEquals("email", names.path("counts").fieldNames().next(), "most frequent first");

    JsonNode small = Http.get(uri, "/api/queues/" + name + "?sample=2").json().path("names");
    assertEquals(2, small.path("scanned").asLong(), small.toString());
    assertTrue(small.path("sampled").asBoolean());
    for (String bad : List.of("?sample=-1", "?sample=10001", "?sample=lots")) {
      Http.Reply r = Http.get(uri, "/api/queues/" + name + bad);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertEquals("sample", r.json().path("errors").get(0).path("field").asText());
    }
  }

  @Test
  void oneQueueListsItsRegisteredWorkersAndWorkerConnections() {
    String workerId = "it-qw-" + UUID.randomUUID().toString().substring(0, 8);
    String registration = "{\"worker_id\":\"" + workerId + "\",\"hostname\":\"h1\",\"queues\":[\"" + name
        + "\"],\"concurrency\":3}";
    Http.Reply reg = Http.request(uri, "POST", "/api/workers/register", TestServer.token(Role.WORKER),
        "application/json", registration);
    assertEquals(201, reg.status(), reg.body());
    try (BlockingConnection node = TestServer.client().openBlockingConnection(queue.keys().workerClientName("node-1"))) {
      JsonNode workers = Http.get(uri, "/api/queues/" + name).json().path("workers");

      assertEquals(1, workers.path("registered").size(), workers.toString());
      assertEquals(workerId, workers.path("registered").get(0).path("worker_id").asText());
      assertEquals("healthy", workers.path("registered").get(0).path("liveness").asText());
      assertEquals(1, workers.path("connections").size(), workers.toString());
      assertEquals("node-1", workers.path("connections").get(0).path("worker_name").asText());
    } finally {
      Http.request(uri, "DELETE", "/api/workers/" + workerId, TestServer.token(Role.WORKER), null, null);
    }
    JsonNode after = Http.get(uri, "/api/queues/" + name).json().path("workers");
    assertEquals(0, after.path("registered").size(), after.toString());
  }
}
