package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/queues/{queue}/metrics} over a real socket: the worker metrics a worker with metrics wrote (here
 * through the broker's lifecycle on a clock the test moves by whole minutes), bounded by {@code points}.
 */
@ServerTest
class QueueMetricsIT extends ApiServerTestBase {

  private static final long NOW = 1_795_315_200_000L + 10_000;
  private static final MutableClock CLOCK = new MutableClock(NOW);
  private static BrokerClient workerSide;
  private String name;
  private Queue queue;
  private JobLifecycle lifecycle;

  QueueMetricsIT(URI uri) {
    super(uri);
  }

  @BeforeAll
  static void connect() {
    workerSide = RedisTestSupport.newClient(CLOCK);
  }

  @AfterAll
  static void disconnect() {
    workerSide.close();
  }

  @BeforeEach
  void newQueue() {
    CLOCK.set(NOW);
    name = RedisTestSupport.uniqueQueueName("apimetrics");
    queue = workerSide.queue(name);
    lifecycle = new JobLifecycle(workerSide, queue.keys(), 60);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(name);
  }

  private void finish(boolean complete) {
    new ScriptDriver(queue).addTakeAndFinish(lifecycle, complete, KeepJobs.all());
  }

  @Test
  void finishedJobsPerMinuteAreReadNewestFirst() {
    finish(true);
    finish(true);
    finish(false);
    CLOCK.advance(2 * 60_000);
    finish(true);
    CLOCK.advance(60_000);
    finish(true);

    Http.Reply reply = Http.get(uri, "/api/queues/" + name + "/metrics");

    assertEquals(200, reply.status(), reply.body());
    JsonNode body = reply.json();
    assertEquals(name, body.path("name").asText());
    JsonNode completed = body.path("completed");
    assertEquals(4, completed.path("count").asLong(), completed.toString());
    assertEquals(NOW + 3 * 60_000, completed.path("prev_ts").asLong());
    assertEquals(3, completed.path("prev_count").asLong());
    assertEquals("[1,0,2]", completed.path("data").toString());
    assertEquals(3, completed.path("data_points").asLong());
    JsonNode failed = body.path("failed");
    assertEquals(1, failed.path("count").asLong(), failed.toString());
    assertEquals(NOW, failed.path("prev_ts").asLong());
    assertEquals("[]", failed.path("data").toString());

    JsonNode two = Http.get(uri, "/api/queues/" + name + "/metrics?points=2").json().path("completed");
    assertEquals("[1,0]", two.path("data").toString());
    assertEquals(3, two.path("data_points").asLong());
    JsonNode none = Http.get(uri, "/api/queues/" + name + "/metrics?points=0").json().path("completed");
    assertEquals("[]", none.path("data").toString());
    assertEquals(4, none.path("count").asLong());
  }

  @Test
  void aQueueWithoutMetricsReadsZeroAndIsNotWritten() {
    String fresh = RedisTestSupport.uniqueQueueName("nometrics");
    Http.Reply reply = Http.get(uri, "/api/queues/" + fresh + "/metrics");

    assertEquals(200, reply.status(), reply.body());
    for (String state : new String[] {"completed", "failed"}) {
      JsonNode m = reply.json().path(state);
      assertEquals(0, m.path("count").asLong(-1), m.toString());
      assertEquals(0, m.path("prev_ts").asLong(-1), m.toString());
      assertEquals("[]", m.path("data").toString());
    }
    assertFalse(TestServer.client().redisson().getKeys().countExists(QueueKeys.of(fresh).meta()) > 0,
        "reading metrics wrote nothing");
  }

  @Test
  void aBadPointsCountIs400NamingIt() {
    for (String points : new String[] {"-1", "10081", "many"}) {
      Http.Reply reply = Http.get(uri, "/api/queues/" + name + "/metrics?points=" + points);
      assertEquals(400, reply.status(), points + ": " + reply.body());
      assertTrue(reply.body().contains("points"), reply.body());
    }
    assertEquals(400, Http.get(uri, "/api/queues/bad:name/metrics").status());
  }
}
