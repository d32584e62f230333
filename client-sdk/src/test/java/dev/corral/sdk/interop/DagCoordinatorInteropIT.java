package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.dag.Dag;
import dev.corral.broker.dag.DagCoordinator;
import dev.corral.broker.dag.DagCoordinatorOptions;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.dag.ExecutionStatus;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DAG executions whose nodes are processed by the real bullmq 6.7.0 (the CLI's {@code work} command), which
 * knows nothing of DAGs: the {@link DagCoordinator} does their bookkeeping from the queues' event streams.
 */
class DagCoordinatorInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;
  private static RedisProbe probe;
  private String prefix;
  private DagExecutions dags;
  private DagKeys keys;
  private DagCoordinator coordinator;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void fresh() {
    prefix = "dagi-" + UUID.randomUUID().toString().substring(0, 8);
    dags = DagExecutions.create(client, prefix, DagLimits.defaults());
    keys = dags.keys();
    coordinator = DagCoordinator.start(client, DagCoordinatorOptions.defaults().withPrefix(prefix)
        .withSweepInterval(Duration.ofHours(1)));
  }

  @AfterEach
  void stop() {
    coordinator.close();
  }

  private static Map<String, Object> behaviour(Object... kv) {
    Map<String, Object> b = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      b.put((String) kv[i], kv[i + 1]);
    }
    return Map.of("behaviour", b);
  }

  private String jobKey(DagExecution ex, String nodeId) {
    return keys.queue(ex.node(nodeId).queue()).job(ex.node(nodeId).jobId());
  }

  private Map<String, Long> perNode(String event, String execId) {
    return probe.stream(keys.stream()).stream()
        .filter(e -> event.equals(e.get("event")) && execId.equals(e.get("execId")))
        .collect(Collectors.groupingBy(e -> e.get("node"), Collectors.counting()));
  }

  private void awaitEnd(String execId) {
    Await.until(WAIT, () -> probe.hash(keys.execution(execId)).get("completedAt") != null);
  }

  @Test
  void aDiamondAcrossTwoQueuesProcessedByNodeWorkersCompletesAndTheJoinReadsBothResults() {
    String q1 = RedisTestSupport.uniqueQueueName("dag1");
    String q2 = RedisTestSupport.uniqueQueueName("dag2");
    String execId = dags.submit(Dag.builder("interop").executionId("diamond")
        .node("a").queue(q1).data(behaviour("returnValue", "A"))
        .node("b").queue(q2).dependsOn("a").data(behaviour("returnValue", Map.of("from", "b")))
        .node("c").queue(q2).dependsOn("a").data(behaviour("returnValue", List.of(1, 2, 3)))
        .node("d").queue(q1).dependsOn("b", "c").data(behaviour("returnChildren", true))
        .build());
    // q2's worker deletes its jobs on completion (the default of many apps): b's and c's results then only
    // reach d through their completed events
    try (NodeProcess w1 = node.work(q1, Map.of("prefix", prefix, "count", 2, "name", "node-q1"));
        NodeProcess w2 = node.work(q2, Map.of("prefix", prefix, "count", 2, "name", "node-q2",
            "removeOnComplete", Map.of("count", 0)))) {
      assertEquals(2, w2.awaitType("done", WAIT).get("completed").asInt());
      JsonNode done = w1.awaitType("done", WAIT);
      assertEquals(2, done.get("completed").asInt());
      DagExecution ex = dags.get(execId).orElseThrow();
      JsonNode dResult = w1.lines().stream()
          .filter(l -> "completed".equals(l.path("type").asText())
              && ex.node("d").jobId().equals(l.path("id").asText()))
          .findFirst().orElseThrow().get("result");
      assertEquals(Json.parseLenient("{\"" + jobKey(ex, "b") + "\":{\"from\":\"b\"},\"" + jobKey(ex, "c")
          + "\":[1,2,3]}"), dResult.get("values"), "getChildrenValues() in Node, keyed by job key");
      assertFalse(probe.exists(jobKey(ex, "b")), "removeOnComplete deleted b's job");
    }
    awaitEnd(execId);
    DagExecution ex = dags.get(execId).orElseThrow();
    assertEquals(ExecutionStatus.COMPLETED, ex.status());
    assertEquals(4, ex.totals().completed());
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L, "d", 1L), perNode("node-released", execId));
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L, "d", 1L), perNode("node-finished", execId));
    assertEquals(4, coordinator.stats().nodesFinishedByEvents());
    assertEquals(0, coordinator.stats().nodesFinishedBySweep());
    assertFalse(probe.exists(keys.queues()), "no live execution uses the queues any more");
  }

  @Test
  void aNodeWorkerKilledMidNodeIsRecoveredByAJavaWorkerAndTheExecutionCompletesOnce() {
    String q = RedisTestSupport.uniqueQueueName("dagk");
    String last = RedisTestSupport.uniqueQueueName("dagl");
    String execId = dags.submit(Dag.builder("interop").executionId("killed")
        .node("a").queue(q).data(behaviour("returnValue", "A"))
        .node("b").queue(q).dependsOn("a").data(behaviour("crash", true, "returnValue", "B"))
        .node("c").queue(last).dependsOn("b").data(behaviour("returnChildren", true))
        .build());
    try (NodeProcess crashing = node.work(q, Map.of("prefix", prefix, "count", 2, "name", "node-k",
        "lockDuration", 1000, "stalledInterval", 1000))) {
      // a completes in Node (the coordinator releases b), then the same worker takes b and dies
      JsonNode crash = crashing.awaitType("crashing", WAIT);
      DagExecution running = dags.get(execId).orElseThrow();
      assertEquals(running.node("b").jobId(), crash.get("id").asText());
      crashing.awaitExit(WAIT);
    }
    QueueKeys qk = keys.queue(q);
    DagExecution before = dags.get(execId).orElseThrow();
    String bJob = before.node("b").jobId();
    assertEquals(List.of(bJob), probe.list(qk.active()), "the killed worker left b active");
    assertEquals("released", probe.hash(keys.state(execId)).get("b"));

    JavaWork java = new JavaWork(client, q, null, 1, WorkerOptions.builder().name("java-r").prefix(prefix)
        .stalledInterval(Duration.ofMillis(500)));
    assertEquals(List.of(bJob), java.awaitDone(WAIT));
    try (NodeProcess finisher = node.work(last, Map.of("prefix", prefix, "count", 1, "name", "node-l"))) {
      JsonNode cDone = finisher.awaitType("completed", WAIT);
      assertEquals(Json.parseLenient("{\"" + qk.job(bJob) + "\":\"B\"}"), cDone.get("result").get("values"));
    }
    awaitEnd(execId);
    DagExecution ex = dags.get(execId).orElseThrow();
    assertEquals(ExecutionStatus.COMPLETED, ex.status());
    assertEquals(3, ex.totals().completed());
    Job b = client.queue(q, QueueOptions.defaults().withPrefix(prefix)).getJob(bJob).orElseThrow();
    assertEquals(1, b.stalledCounter());
    assertEquals("java-r", b.processedBy());
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L), perNode("node-released", execId));
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L), perNode("node-finished", execId));
    assertEquals(1, probe.stream(keys.stream()).stream()
        .filter(e -> "execution-finished".equals(e.get("event")) && execId.equals(e.get("execId"))).count());
    // a and c were finished from their Node events, b inline by the Java worker's finishing script
    assertEquals(2, coordinator.stats().nodesFinishedByEvents());
    assertTrue(coordinator.stats().eventsHandled() >= 2);
  }
}
