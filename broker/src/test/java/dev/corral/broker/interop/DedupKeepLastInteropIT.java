package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deduplication.keepLastIfActive} adds done by the real bullmq 6.7.0 and by Corral leave the same state:
 * owners are added by each side, taken into active by the same script driver at a fixed time on both queues,
 * then the deduplicated adds are made by each side (kept in {@code P dn:<id>}), and the snapshots compared; then
 * the owners are finished (again the same driver on both queues, so the re-added job is made from what each
 * producer kept) and compared once more. That a Node worker's finish re-adds the kept job as a Corral worker's
 * does is proven in the client-sdk's {@code DedupKeepLastWorkerInteropIT}.
 */
class DedupKeepLastInteropIT {

  private static final long TS = 1_795_314_988_360L;
  private static final String TOKEN = "interop-token";
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
  }

  /** A run on one queue: the owners' adds, the take, the deduplicated adds, the finish. */
  private record Phases(String owners, int take, String whileActive, List<String> finish) {}

  private void assertSameState(String hint, Phases phases) {
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");
    JsonNode owners = InteropSteps.parse(phases.owners());
    JsonNode whileActive = InteropSteps.parse(phases.whileActive());

    assertEquals(node.runSteps(nodeQueue, owners), InteropSteps.runInCorral(client.queue(javaQueue), owners),
        hint + ": owner ids");
    takeOwners(nodeQueue, phases.take());
    takeOwners(javaQueue, phases.take());
    assertEquals(node.runSteps(nodeQueue, whileActive),
        InteropSteps.runInCorral(client.queue(javaQueue), whileActive), hint + ": ids of the adds while active");
    assertSameSnapshots(hint + " while active", nodeQueue, javaQueue);

    finishOwners(nodeQueue, phases.finish());
    finishOwners(javaQueue, phases.finish());
    assertSameSnapshots(hint + " after the finish", nodeQueue, javaQueue);
  }

  private static void takeOwners(String queue, int count) {
    ScriptDriver driver = new ScriptDriver(client.queue(queue));
    for (int i = 0; i < count; i++) {
      driver.takeAt(TOKEN, TS);
    }
  }

  /** Each entry "id:completed" or "id:failed". */
  private static void finishOwners(String queue, List<String> finishes) {
    ScriptDriver driver = new ScriptDriver(client.queue(queue));
    for (String f : finishes) {
      String[] parts = f.split(":");
      if (parts[1].equals("completed")) {
        driver.completeAt(parts[0], TOKEN, "{\"done\":true}", TS + 50);
      } else {
        driver.failAt(parts[0], TOKEN, "gave up", TS + 50);
      }
    }
  }

  private static void assertSameSnapshots(String hint, String nodeQueue, String javaQueue) {
    ObjectNode expected = QueueSnapshot.of(client, QueueKeys.of(nodeQueue));
    ObjectNode actual = QueueSnapshot.of(client, QueueKeys.of(javaQueue));
    assertTrue(expected.has("events"), hint + ": the Node queue should have stored something: " + expected);
    assertEquals(QueueSnapshot.canonical(expected), QueueSnapshot.canonical(actual),
        hint + ": stored state (Node first, Corral second)");
  }

  @Test
  void theLastAddWhileTheOwnerIsActiveIsKeptAndReAddedWhenItCompletes() {
    // k: two adds while active, the second (a delay and a priority) replaces the first in dn:k; the ttl is
    // ignored (no ttl on the key). w: the owner of w is still waiting, so the add is only deduplicated.
    assertSameState("keep", new Phases("""
        [{"op":"add","name":"k","data":{"v":1},
          "opts":{"timestamp":%d,"deduplication":{"id":"k","ttl":60000,"keepLastIfActive":true}}},
         {"op":"add","name":"w","data":{"v":2},
          "opts":{"timestamp":%d,"deduplication":{"id":"w","keepLastIfActive":true}}}]"""
        .formatted(TS, TS), 1, """
        [{"op":"add","name":"k","data":{"v":3},
          "opts":{"timestamp":%d,"deduplication":{"id":"k","ttl":60000,"keepLastIfActive":true}}},
         {"op":"add","name":"k2","data":{"v":4},"opts":{"delay":2000,"priority":3,"attempts":2,"timestamp":%d,
          "deduplication":{"id":"k","ttl":60000,"extend":true,"keepLastIfActive":true}}},
         {"op":"add","name":"w","data":{"v":5},
          "opts":{"timestamp":%d,"deduplication":{"id":"w","keepLastIfActive":true}}}]"""
        .formatted(TS + 1, TS + 2, TS + 3), List.of("1:completed")));
  }

  @Test
  void aThrottleKeyLosesItsTtlWhileAnAddIsKeptAndAFailedOwnerReAddsIt() {
    // t: the owner was added in throttle mode (key with a ttl); the keepLastIfActive add persists the key.
    // c: a custom job id is kept as the jid and becomes the new job's id; the owner fails for good.
    assertSameState("keep-ttl", new Phases("""
        [{"op":"add","name":"t","data":{"v":1},"opts":{"timestamp":%d,"deduplication":{"id":"t","ttl":60000}}},
         {"op":"add","name":"c","data":{"v":2},
          "opts":{"timestamp":%d,"deduplication":{"id":"c","keepLastIfActive":true}}}]"""
        .formatted(TS, TS), 2, """
        [{"op":"add","name":"t","data":{"v":3},
          "opts":{"timestamp":%d,"deduplication":{"id":"t","ttl":60000,"keepLastIfActive":true}}},
         {"op":"add","name":"c","data":{"v":4},
          "opts":{"jobId":"next-c","lifo":true,"timestamp":%d,"deduplication":{"id":"c","keepLastIfActive":true}}}]"""
        .formatted(TS + 1, TS + 2), List.of("2:failed", "1:completed")));
  }

  @Test
  void replaceWithKeepLastIfActiveKeepsAnAddForAnActiveOwnerAndReplacesADelayedOne() {
    assertSameState("keep-replace", new Phases("""
        [{"op":"add","name":"a","data":{"v":1},"opts":{"timestamp":%d,
          "deduplication":{"id":"a","ttl":30000,"extend":true,"replace":true,"keepLastIfActive":true}}},
         {"op":"add","name":"d","data":{"v":2},"opts":{"delay":5000,"timestamp":%d,
          "deduplication":{"id":"d","ttl":30000,"replace":true,"keepLastIfActive":true}}}]"""
        .formatted(TS, TS), 1, """
        [{"op":"add","name":"a","data":{"v":3},"opts":{"timestamp":%d,
          "deduplication":{"id":"a","ttl":30000,"extend":true,"replace":true,"keepLastIfActive":true}}},
         {"op":"add","name":"d","data":{"v":4},"opts":{"delay":5000,"timestamp":%d,
          "deduplication":{"id":"d","ttl":30000,"replace":true,"keepLastIfActive":true}}}]"""
        .formatted(TS + 1, TS + 1), List.of("1:completed")));
  }
}
