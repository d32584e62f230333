package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deduplication.keepLastIfActive}'s re-add at finish: the same jobs (added by bullmq to two fresh queues,
 * and a deduplicated add made by bullmq while the owner is active) processed by a real bullmq 6.7.0 Worker on
 * one queue and by a Corral worker on the other leave equal state and events, normalised as
 * {@link WorkerStateInteropIT} does. The owner waits in its processor ({@code awaitKey}) until the kept add is
 * in {@code P dn:<id>}, so the add always meets an active owner.
 */
class DedupKeepLastWorkerInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
  }

  private void assertSameReAdd(String hint, String ownerSteps, String whileActiveSteps, int attempts) {
    JsonNode owners = InteropSteps.parse(ownerSteps);
    JsonNode whileActive = InteropSteps.parse(whileActiveSteps);
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");
    assertEquals(node.runSteps(nodeQueue, owners), node.runSteps(javaQueue, owners));

    ObjectNode behaviour = Json.MAPPER.createObjectNode().put("name", "state-w").put("count", attempts);
    List<String> nodeOrder;
    try (NodeProcess worker = node.work(nodeQueue, behaviour)) {
      awaitAnActiveJob(nodeQueue);
      node.runSteps(nodeQueue, whileActive);
      worker.awaitType("done", WAIT);
      nodeOrder = worker.lines().stream().filter(l -> "started".equals(l.path("type").asText()))
          .map(l -> l.get("id").asText()).toList();
    }
    JavaWork javaWorker = new JavaWork(client, javaQueue, null, attempts, "state-w");
    awaitAnActiveJob(javaQueue);
    node.runSteps(javaQueue, whileActive);
    List<String> javaOrder = javaWorker.awaitDone(WAIT);
    assertEquals(nodeOrder, javaOrder, hint + ": attempts started in the same order");
    assertEquals(attempts, nodeOrder.size(), hint + ": the kept add ran: " + nodeOrder);

    ObjectNode expected = WorkerStateInteropIT.normalise(QueueSnapshot.of(client, QueueKeys.of(nodeQueue)));
    ObjectNode actual = WorkerStateInteropIT.normalise(QueueSnapshot.of(client, QueueKeys.of(javaQueue)));
    assertTrue(expected.has("events"), expected.toString());
    assertEquals(QueueSnapshot.canonical(expected), QueueSnapshot.canonical(actual),
        hint + ": stored state (bullmq worker first, Corral worker second)");
  }

  private static void awaitAnActiveJob(String queue) {
    RedisProbe probe = new RedisProbe(client);
    Await.until(WAIT, () -> probe.list(QueueKeys.of(queue).active()).isEmpty() ? null : Boolean.TRUE,
        queue + ": a job becomes active");
  }

  @Test
  void aCompletedOwnerReAddsTheKeptJob() {
    assertSameReAdd("keep-done", """
        [{"op":"add","name":"owner","data":{"v":1,"behaviour":{"awaitKey":"dn:k","returnValue":"first"}},
          "opts":{"deduplication":{"id":"k","keepLastIfActive":true}}},
         {"op":"add","name":"other","data":{"v":2}}]""", """
        [{"op":"add","name":"kept","data":{"v":3,"behaviour":{"returnValue":"second"}},
          "opts":{"priority":2,"deduplication":{"id":"k","ttl":5000,"keepLastIfActive":true}}}]""", 3);
  }

  @Test
  void anOwnerThatFailsForGoodReAddsTheKeptJobWithItsDelay() {
    assertSameReAdd("keep-failed", """
        [{"op":"add","name":"owner","data":{"v":1,"behaviour":{"awaitKey":"dn:f","fail":"boom"}},
          "opts":{"attempts":1,"deduplication":{"id":"f","keepLastIfActive":true}}}]""", """
        [{"op":"add","name":"kept","data":{"v":2},
          "opts":{"delay":300,"deduplication":{"id":"f","keepLastIfActive":true}}}]""", 2);
  }
}
