package dev.corral.broker.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.flow.FlowJob;
import dev.corral.broker.flow.FlowProducer;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same flow (custom ids) added by bullmq 6.7.0's FlowProducer and by Corral's, each into fresh queues,
 * leaves equal keys in every queue involved: job hashes (with parentKey, parent and opts.parent), the
 * waiting-children, wait, prioritized and delayed layouts, the parents' :dependencies sets, ids and events.
 * Queue names are replaced by placeholders ({@code <q0>}, {@code <q1>}, ...) and waiting-children scores (the
 * creation time) by {@code <ts>}; {@link QueueSnapshot} says what else is normalised.
 */
class FlowStateInteropIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void setUp() {
    node = NodeBullmq.get();
  }

  /**
   * Adds {@code template} (queue names written {@code %q0%}, {@code %q1%}, ...; prefixes {@code %p0%}...) in Node
   * and in Corral and compares every queue. {@code queues} lists each placeholder's prefix.
   */
  private void assertSameFlowState(String hint, String template, String... prefixes) {
    assertSameFlowState(hint, template, queue -> { }, prefixes);
  }

  /** As above; {@code beforeFlow} gets the first queue's name on each side before its flow is added. */
  private void assertSameFlowState(String hint, String template, Consumer<String> beforeFlow, String... prefixes) {
    List<String> nodeQueues = new ArrayList<>();
    List<String> javaQueues = new ArrayList<>();
    for (int i = 0; i < prefixes.length; i++) {
      nodeQueues.add(RedisTestSupport.uniqueQueueName(hint + i + "-node"));
      javaQueues.add(RedisTestSupport.uniqueQueueName(hint + i + "-java"));
    }
    beforeFlow.accept(nodeQueues.get(0));
    beforeFlow.accept(javaQueues.get(0));
    JsonNode nodeFlow = Json.parseLenient(fill(template, nodeQueues));
    JsonNode javaFlow = Json.parseLenient(fill(template, javaQueues));

    JsonNode nodeTree = node.flow(nodeFlow);
    JsonNode javaTree = InteropSteps.idTree(new FlowProducer(client).add(BullmqOpts.toFlowJob(javaFlow)));
    assertEquals(unname(nodeTree.toString(), nodeQueues), unname(javaTree.toString(), javaQueues),
        hint + ": returned id trees");

    for (int i = 0; i < prefixes.length; i++) {
      String expected = unname(snapshot(new QueueKeys(prefixes[i], nodeQueues.get(i))), nodeQueues);
      String actual = unname(snapshot(new QueueKeys(prefixes[i], javaQueues.get(i))), javaQueues);
      assertTrue(expected.contains("\"events\""), hint + ": Node stored nothing in queue " + i + ": " + expected);
      assertEquals(expected, actual, hint + ": queue " + i + " (Node first, Corral second)");
    }
  }

  private static String fill(String template, List<String> queues) {
    String s = template;
    for (int i = 0; i < queues.size(); i++) {
      s = s.replace("%q" + i + "%", queues.get(i));
    }
    return s;
  }

  private static String unname(String text, List<String> queues) {
    String s = text;
    for (int i = 0; i < queues.size(); i++) {
      s = s.replace(queues.get(i), "<q" + i + ">");
    }
    return s;
  }

  private static String snapshot(QueueKeys keys) {
    ObjectNode snapshot = QueueSnapshot.of(client, keys);
    if (snapshot.get("waiting-children") instanceof ArrayNode entries) {
      entries.forEach(pair -> ((ArrayNode) pair).set(1, "<ts>"));
    }
    return QueueSnapshot.canonical(snapshot);
  }

  @Test
  void aFlowsRootAttachedToAnExistingJob() {
    // bullmq's flow.opts.parent: the root becomes a child of a job that exists already (added by Node on both sides)
    assertSameFlowState("attach", """
        {"name":"sub","queueName":"%q1%","data":{},"opts":{"jobId":"sub-1","parent":{"id":"ext","queue":"bull:%q0%"}},
         "children":[{"name":"part","queueName":"%q1%","data":{"n":1},"opts":{"jobId":"part-1"}}]}""",
        queue -> node.runSteps(queue, InteropSteps.parse("""
            [{"op":"add","name":"ext","data":{},"opts":{"jobId":"ext"}}]""")), "bull", "bull");
  }

  @Test
  void aParentWithChildrenInAnotherQueue() {
    assertSameFlowState("two", """
        {"name":"assemble","queueName":"%q0%","data":{"car":"x"},"opts":{"jobId":"car-1"},
         "children":[
           {"name":"wheels","queueName":"%q1%","data":{"n":4},"opts":{"jobId":"wheels-1"}},
           {"name":"engine","queueName":"%q1%","data":{"hp":300},"opts":{"jobId":"engine-1"}}]}""",
        "bull", "bull");
  }

  @Test
  void threeLevelsAcrossQueuesWithPriorityDelayLifoAndEveryFailurePolicy() {
    assertSameFlowState("deep", """
        {"name":"root","queueName":"%q0%","data":{},"opts":{"jobId":"root","priority":3,"attempts":2},
         "children":[
           {"name":"mid","queueName":"%q1%","data":{"m":1},"opts":{"jobId":"mid","delay":5000},
            "children":[
              {"name":"leaf-a","queueName":"%q0%","data":{"a":1},"opts":{"jobId":"leaf-a","failParentOnFailure":true}},
              {"name":"leaf-b","queueName":"%q2%","data":{"b":1},
               "opts":{"jobId":"leaf-b","continueParentOnFailure":true,"priority":2}}]},
           {"name":"c1","queueName":"%q1%","data":{},"opts":{"jobId":"c1","ignoreDependencyOnFailure":true,
            "removeOnComplete":true}},
           {"name":"c2","queueName":"%q2%","data":{},"opts":{"jobId":"c2","removeDependencyOnFailure":true,
            "lifo":true}},
           {"name":"c3","queueName":"%q2%","data":{},"opts":{"jobId":"c3","delay":2000,"attempts":3,
            "backoff":{"type":"exponential","delay":100}},
            "children":[{"name":"gc","queueName":"%q1%","data":{"g":1},"opts":{"jobId":"gc"}}]}]}""",
        "bull", "bull", "bull");
  }

  @Test
  void childrenUnderAnotherPrefix() {
    assertSameFlowState("prefix", """
        {"name":"parent","queueName":"%q0%","data":{},"opts":{"jobId":"p"},
         "children":[
           {"name":"child","queueName":"%q1%","prefix":"alt","data":{"c":1},"opts":{"jobId":"c"}},
           {"name":"child2","queueName":"%q0%","data":{"c":2},"opts":{"jobId":"c2"}}]}""",
        "bull", "alt");
  }
}
