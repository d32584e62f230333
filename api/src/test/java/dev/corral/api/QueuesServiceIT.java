package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Corral;
import dev.corral.broker.JobOptions;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
}
