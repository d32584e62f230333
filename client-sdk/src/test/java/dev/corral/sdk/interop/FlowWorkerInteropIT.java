package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.flow.FlowProducer;
import dev.corral.broker.flow.JobNode;
import dev.corral.broker.interop.BullmqOpts;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flows across languages with the real bullmq 6.7.0: a flow added by Node is completed by Java workers and one
 * added by Corral by Node workers (the parent is released exactly once and both sides read the same children
 * values); and each parent failure policy, the pending-children refusal included, leaves the same stored state
 * whether Node or Java workers process the same flows.
 */
class FlowWorkerInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
  }

  private static String carFlow(String parentQueue, String childQueue) {
    return """
        {"name":"assemble","queueName":"%s","data":{"behaviour":{"returnChildren":true}},"opts":{"jobId":"car-1"},
         "children":[
           {"name":"wheels","queueName":"%s","data":{"behaviour":{"returnValue":{"child":"wheels","n":8}}},
            "opts":{"jobId":"wheels-1"}},
           {"name":"engine","queueName":"%s","data":{"behaviour":{"returnValue":{"child":"engine","hp":600}}}}]}"""
        .formatted(parentQueue, childQueue, childQueue);
  }

  /** Waiting events of the parent released from waiting-children. */
  private static long releases(String queue, String parentId) {
    return new RedisProbe(client).stream(QueueKeys.of(queue).events()).stream()
        .filter(e -> "waiting".equals(e.get("event")) && parentId.equals(e.get("jobId"))
            && "waiting-children".equals(e.get("prev")))
        .count();
  }

  private static void assertCompletedParent(String parentQueue, String childQueue, JsonNode tree) {
    Queue parents = client.queue(parentQueue);
    Job parent = parents.getJob("car-1").orElseThrow();
    assertEquals(JobState.COMPLETED, parents.getState("car-1"));
    assertEquals(1, parent.attemptsStarted(), "the parent ran once");
    assertEquals(1, releases(parentQueue, "car-1"), "the parent was released once");
    String engineId = tree.get("children").get(1).get("id").asText();
    assertTrue(engineId.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), engineId);
    Map<String, JsonNode> expected = Map.of(
        "bull:" + childQueue + ":wheels-1", Json.parseLenient("{\"child\":\"wheels\",\"n\":8}"),
        "bull:" + childQueue + ":" + engineId, Json.parseLenient("{\"child\":\"engine\",\"hp\":600}"));
    assertEquals(expected, parents.getChildrenValues("car-1"), "Corral's getChildrenValues");
    JsonNode nodeReads = node.dependencies(parentQueue, "car-1");
    assertEquals(Json.MAPPER.valueToTree(expected), nodeReads.get("values"), "Node's getChildrenValues");
    assertEquals(Json.MAPPER.valueToTree(expected), parent.returnValue().get("values"),
        "what the parent's processor read");
    assertEquals(0, nodeReads.get("counts").get("unprocessed").asInt());
    assertEquals(2, nodeReads.get("counts").get("processed").asInt());
  }

  @Test
  void aFlowAddedByNodeIsCompletedByJavaWorkers() {
    String parentQueue = RedisTestSupport.uniqueQueueName("fp-node");
    String childQueue = RedisTestSupport.uniqueQueueName("fc-node");
    JsonNode tree = node.flow(Json.parseLenient(carFlow(parentQueue, childQueue)));
    assertEquals(JobState.WAITING_CHILDREN, client.queue(parentQueue).getState("car-1"));

    new JavaWork(client, childQueue, null, 2, "children").awaitDone(WAIT);
    new JavaWork(client, parentQueue, null, 1, "parent").awaitDone(WAIT);

    assertCompletedParent(parentQueue, childQueue, tree);
  }

  @Test
  void aFlowAddedByCorralIsCompletedByNodeWorkers() {
    String parentQueue = RedisTestSupport.uniqueQueueName("fp-java");
    String childQueue = RedisTestSupport.uniqueQueueName("fc-java");
    JobNode added = new FlowProducer(client).add(BullmqOpts.toFlowJob(
        Json.parseLenient(carFlow(parentQueue, childQueue))));
    assertEquals("car-1", added.id());
    assertEquals("bull:" + childQueue + ":wheels-1", added.children().get(0).key());

    try (NodeProcess children = node.work(childQueue, Map.of("count", 2))) {
      children.awaitType("done", WAIT);
    }
    try (NodeProcess parent = node.work(parentQueue, Map.of("count", 1))) {
      parent.awaitType("done", WAIT);
    }

    assertCompletedParent(parentQueue, childQueue, InteropSteps.idTree(added));
  }

  private static String policyFlow(String parentQueue, String childQueue, String policy, String option) {
    String opts = option == null ? "" : ",\"" + option + "\":true";
    return """
        {"name":"parent","queueName":"%1$s","data":{"behaviour":{"returnChildren":true}},"opts":{"jobId":"p-%3$s"},
         "children":[
           {"name":"good","queueName":"%2$s","data":{"behaviour":{"returnValue":"ok-%3$s"}},
            "opts":{"jobId":"p-%3$s-good"}},
           {"name":"bad","queueName":"%2$s","data":{"behaviour":{"fail":"child failed"}},
            "opts":{"jobId":"p-%3$s-bad"%4$s}}]}""".formatted(parentQueue, childQueue, policy, opts);
  }

  private static final List<String[]> POLICIES = List.of(new String[] {"none", null},
      new String[] {"fpof", "failParentOnFailure"}, new String[] {"cpof", "continueParentOnFailure"},
      new String[] {"idof", "ignoreDependencyOnFailure"}, new String[] {"rdof", "removeDependencyOnFailure"});

  @Test
  void everyParentFailurePolicyBehavesTheSameUnderNodeAndJavaWorkers() {
    String pn = RedisTestSupport.uniqueQueueName("pol-p-node");
    String cn = RedisTestSupport.uniqueQueueName("pol-c-node");
    String pj = RedisTestSupport.uniqueQueueName("pol-p-java");
    String cj = RedisTestSupport.uniqueQueueName("pol-c-java");
    for (String[] p : POLICIES) {
      node.flow(Json.parseLenient(policyFlow(pn, cn, p[0], p[1])));
      new FlowProducer(client).add(BullmqOpts.toFlowJob(Json.parseLenient(policyFlow(pj, cj, p[0], p[1]))));
    }
    try (NodeProcess w = node.work(cn, Map.of("count", 10, "name", "w"))) {
      w.awaitType("done", WAIT);
    }
    new JavaWork(client, cj, null, 10, "w").awaitDone(WAIT);
    assertSameQueues("children done", List.of(pn, cn), List.of(pj, cj));

    // none keeps waiting; fpof fails (deferred failure), idof/rdof/cpof complete
    try (NodeProcess w = node.work(pn, Map.of("count", 4, "name", "w"))) {
      w.awaitType("done", WAIT);
    }
    new JavaWork(client, pj, null, 4, "w").awaitDone(WAIT);
    assertSameQueues("parents done", List.of(pn, cn), List.of(pj, cj));

    Queue parents = client.queue(pj);
    assertEquals(JobState.WAITING_CHILDREN, parents.getState("p-none"));
    assertEquals(JobState.FAILED, parents.getState("p-fpof"));
    assertEquals("child bull:" + cj + ":p-fpof-bad failed", parents.getJob("p-fpof").orElseThrow().failedReason());
    assertEquals(List.of("bull:" + cj + ":p-fpof-bad"), parents.getDependencies("p-fpof").failed());
    for (String completed : List.of("p-cpof", "p-idof", "p-rdof")) {
      assertEquals(JobState.COMPLETED, parents.getState(completed), completed);
    }
    assertEquals(Map.of("bull:" + cj + ":p-idof-bad", "child failed"), parents.getIgnoredChildrenFailures("p-idof"));
    assertEquals(Map.of(), parents.getIgnoredChildrenFailures("p-rdof"));
    assertEquals(List.of("bull:" + cj + ":p-none-bad"), parents.getDependencies("p-none").unprocessed());
  }

  @Test
  void aContinuedParentWithAPendingChildFailsWithPendingDependenciesOnBothSides() {
    String pn = RedisTestSupport.uniqueQueueName("cpof-p-node");
    String cn = RedisTestSupport.uniqueQueueName("cpof-c-node");
    String pj = RedisTestSupport.uniqueQueueName("cpof-p-java");
    String cj = RedisTestSupport.uniqueQueueName("cpof-c-java");
    String flow = """
        {"name":"parent","queueName":"%1$s","data":{},"opts":{"jobId":"par"},
         "children":[
           {"name":"bad","queueName":"%2$s","data":{"behaviour":{"fail":"child failed"}},
            "opts":{"jobId":"bad","continueParentOnFailure":true}},
           {"name":"slow","queueName":"%2$s","data":{},"opts":{"jobId":"slow","delay":600000}}]}""";
    node.flow(Json.parseLenient(flow.formatted(pn, cn)));
    new FlowProducer(client).add(BullmqOpts.toFlowJob(Json.parseLenient(flow.formatted(pj, cj))));
    try (NodeProcess w = node.work(cn, Map.of("count", 1, "name", "w"))) {
      w.awaitType("done", WAIT);
    }
    new JavaWork(client, cj, null, 1, "w").awaitDone(WAIT);
    try (NodeProcess w = node.work(pn, Map.of("count", 1, "name", "w"))) {
      w.awaitType("done", WAIT);
    }
    new JavaWork(client, pj, null, 1, "w").awaitDone(WAIT);

    assertSameQueues("cpof with a pending child", List.of(pn, cn), List.of(pj, cj));
    Job parent = client.queue(pj).getJob("par").orElseThrow();
    assertEquals("Job par has pending dependencies. moveToFinished", parent.failedReason());
    assertFalse(client.queue(pj).getDependencies("par").unprocessed().isEmpty());
  }

  private static void assertSameQueues(String hint, List<String> nodeQueues, List<String> javaQueues) {
    for (int i = 0; i < nodeQueues.size(); i++) {
      String expected = unname(state(nodeQueues.get(i)), nodeQueues);
      String actual = unname(state(javaQueues.get(i)), javaQueues);
      assertEquals(expected, actual, hint + ": queue " + i + " (Node workers first, Java workers second)");
    }
  }

  private static String state(String queue) {
    ObjectNode snapshot = WorkerStateInteropIT.normalise(QueueSnapshot.of(client, QueueKeys.of(queue)));
    snapshot.properties().forEach(e -> {
      if (e.getKey().equals("waiting-children") && e.getValue() instanceof ArrayNode entries) {
        entries.forEach(pair -> ((ArrayNode) pair).set(1, "<ts>")); // the parent's creation time
      }
      if (e.getKey().endsWith(":unsuccessful") && e.getValue() instanceof ArrayNode entries) {
        entries.forEach(pair -> ((ArrayNode) pair).set(1, "<t>")); // the time the child failed
      }
    });
    return QueueSnapshot.canonical(snapshot);
  }

  private static String unname(String text, List<String> queues) {
    String s = text;
    for (int i = 0; i < queues.size(); i++) {
      s = s.replace(queues.get(i), "<q" + i + ">");
    }
    return s;
  }
}
