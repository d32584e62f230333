package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobOptions;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DagSubmitIT {

  private static final long NOW = 1_795_314_988_360L;
  private static BrokerClient client;
  private static RedisProbe probe;
  private DagExecutions dags;
  private DagKeys keys;
  private String prefix;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void freshPrefix() {
    prefix = "dagt-" + UUID.randomUUID().toString().substring(0, 8);
    dags = DagExecutions.create(client, prefix, DagLimits.defaults());
    keys = dags.keys();
  }

  private QueueKeys q(String name) {
    return keys.queue(name);
  }

  private static DagSpec diamond(String execId) {
    return Dag.builder("wf").executionId(execId)
        .node("a").queue("etl").data(Map.of("n", 1))
        .node("b").queue("etl").dependsOn("a")
        .node("c").queue("other").dependsOn("a")
        .node("d").queue("etl").dependsOn("b", "c")
        .build();
  }

  @Test
  void aDiamondIsStoredAsOrdinaryJobsWithTheRootReleased() {
    String id = dags.submit(diamond("e1"));

    assertEquals("e1", id);
    String e = keys.execution("e1");
    Map<String, String> a = probe.hash(q("etl").job("1"));
    assertEquals("a", a.get("name"));
    assertEquals(Json.parseLenient("{\"n\":1}"), Json.parseLenient(a.get("data")));
    assertEquals("{\"attempts\":0}", a.get("opts"));
    assertEquals(String.valueOf(NOW), a.get("timestamp"));
    assertEquals("0", a.get("delay"));
    assertEquals("0", a.get("priority"));
    assertEquals(e, a.get("dagKey"));
    assertEquals("a", a.get("dagNode"));
    assertEquals(8, a.size());
    assertEquals(List.of("1"), probe.list(q("etl").waitList()));
    assertEquals(List.of(Map.entry("0", 0.0)), probe.zset(q("etl").marker()));
    assertEquals(List.of("2", "3"), probe.zset(q("etl").waitingChildren()).stream().map(Map.Entry::getKey).toList());
    assertEquals(List.of("1"), probe.zset(q("other").waitingChildren()).stream().map(Map.Entry::getKey).toList());
    assertFalse(probe.exists(q("other").marker()));
    assertEquals("c", probe.hash(q("other").job("1")).get("dagNode"));

    List<Map<String, String>> events = probe.stream(q("etl").events());
    assertEquals(List.of(
        Map.of("event", "added", "jobId", "1", "name", "a"),
        Map.of("event", "waiting", "jobId", "1"),
        Map.of("event", "added", "jobId", "2", "name", "b"),
        Map.of("event", "waiting-children", "jobId", "2"),
        Map.of("event", "added", "jobId", "3", "name", "d"),
        Map.of("event", "waiting-children", "jobId", "3")), events);

    Map<String, String> record = probe.hash(e);
    assertEquals("running", record.get("status"));
    assertEquals("wf", record.get("workflowId"));
    assertEquals("4", record.get("total"));
    assertEquals("3", record.get("held"));
    assertEquals("1", record.get("released"));
    assertEquals(String.valueOf(NOW), record.get("createdAt"));
    assertEquals("604800", record.get("retention"));
    assertEquals(Map.of("a", "released", "b", "held", "c", "held", "d", "held"), probe.hash(keys.state("e1")));
    assertEquals(Map.of("b", "1", "c", "1", "d", "2"), probe.hash(keys.pending("e1")));
    JsonNode nodeA = Json.parseLenient(probe.hash(keys.nodes("e1")).get("a"));
    assertEquals(Json.parseLenient("{\"jobId\":\"1\",\"queue\":\"" + prefix + ":etl:\",\"deps\":[],"
        + "\"dependents\":[\"b\",\"c\"],\"policy\":\"fail\"}"), nodeA);
    assertEquals(List.of(Map.entry("e1", (double) NOW)), probe.zset(keys.index()));
    assertEquals(List.of(Map.entry("e1", (double) NOW)), probe.zset(keys.status(ExecutionStatus.RUNNING)));
    assertEquals(List.of(Map.entry("e1", (double) NOW)), probe.zset(keys.workflow("wf")));
    assertEquals(Map.of(prefix + ":etl:", "1", prefix + ":other:", "1"), probe.hash(keys.queues()));
    List<Map<String, String>> dagEvents = probe.stream(keys.stream());
    assertEquals(Map.of("event", "execution-started", "execId", "e1", "workflowId", "wf", "total", "4"),
        dagEvents.get(0));
    assertEquals(Map.of("event", "node-released", "execId", "e1", "node", "a", "queue", prefix + ":etl:",
        "jobId", "1"), dagEvents.get(1));
  }

  @Test
  void getReportsTotalsAndEveryNode() {
    dags.submit(diamond("e2"));

    DagExecution ex = dags.get("e2").orElseThrow();
    assertEquals(ExecutionStatus.RUNNING, ex.status());
    assertEquals("wf", ex.workflowId());
    assertEquals(new DagTotals(4, 4, 0, 0, 0, 0, 0), ex.totals());
    assertEquals(List.of("a", "b", "c", "d"), ex.nodes().stream().map(DagNodeStatus::id).toList());
    assertEquals(new DagNodeStatus("c", NodeState.HELD, "other", "1", NOW, null, null), ex.node("c"));
    assertEquals(NodeState.RELEASED, ex.node("a").state());
    assertEquals(null, ex.completedAt());
    assertEquals(NOW, ex.startedAt());
    assertEquals(NOW, ex.createdAt());
    assertTrue(dags.get("nope").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> dags.get("bad id"));
  }

  @Test
  void rootsBeyondTheParallelismWaitInReady() {
    Dag.Builder b = Dag.builder("wf").executionId("p").parallelism(2);
    for (int i = 0; i < 5; i++) {
      b.node("r" + i).queue("work");
    }
    dags.submit(b.build());

    assertEquals(List.of("2", "1"), probe.list(q("work").waitList()));
    assertEquals(List.of("r2", "r3", "r4"), probe.list(keys.ready("p")));
    assertEquals(List.of("3", "4", "5"), probe.zset(q("work").waitingChildren()).stream().map(Map.Entry::getKey)
        .toList());
    assertEquals("2", probe.hash(keys.execution("p")).get("released"));
    assertEquals("3", probe.hash(keys.execution("p")).get("held"));
    assertTrue(probe.hash(keys.pending("p")).isEmpty());
  }

  @Test
  void delayedAndPrioritizedRootsAreReleasedLikeAdd() {
    dags.submit(Dag.builder("wf").executionId("dp")
        .node("late").queue("w").options(JobOptions.builder().delay(5000).build())
        .node("urgent").queue("w").options(JobOptions.builder().priority(3).jobId("u-1").build())
        .build());

    assertEquals(List.of(Map.entry("1", (double) (NOW + 5000) * 4096)), probe.zset(q("w").delayed()));
    assertEquals(List.of("u-1"), probe.zset(q("w").prioritized()).stream().map(Map.Entry::getKey).toList());
    assertEquals("{\"jobId\":\"u-1\",\"priority\":3,\"attempts\":0}", probe.hash(q("w").job("u-1")).get("opts"));
  }

  @Test
  void theSameIdempotencyKeyReturnsTheFirstExecutionAndWritesNothing() {
    DagSpec spec = Dag.builder("wf").idempotencyKey("daily-1").node("a").queue("w").build();
    String first = dags.submit(spec);
    List<Map<String, String>> eventsBefore = probe.stream(q("w").events());

    String second = dags.submit(spec);

    assertEquals(first, second);
    assertEquals(first, probe.string(keys.idempotency("daily-1")));
    assertEquals("1", probe.string(q("w").id()));
    assertEquals(List.of("1"), probe.list(q("w").waitList()));
    assertEquals(eventsBefore, probe.stream(q("w").events()));
    assertEquals(1, probe.zset(keys.index()).size());
  }

  @Test
  void aTakenExecutionIdIsRefused() {
    dags.submit(diamond("same"));
    DagConflictException e = assertThrows(DagConflictException.class, () -> dags.submit(diamond("same")));
    assertEquals("executionId", e.field());
    assertEquals("3", probe.string(q("etl").id()), "the refused submit took no job ids");
  }

  @Test
  void aSubmitRefusedForATakenCustomJobIdWritesNothing() {
    client.queue("w", QueueOptions.defaults().withPrefix(prefix)).add("x", Map.of(),
        JobOptions.builder().jobId("taken").build());
    List<Map<String, String>> eventsBefore = probe.stream(q("w").events());

    DagConflictException e = assertThrows(DagConflictException.class, () -> dags.submit(Dag.builder("wf")
        .executionId("atomic")
        .node("first").queue("w")
        .node("second").queue("w2").dependsOn("first")
        .node("third").queue("w").options(JobOptions.builder().jobId("taken").build()).dependsOn("first")
        .build()));

    assertEquals("nodes[2].options.jobId", e.field());
    assertEquals("third", e.node());
    assertTrue(e.getMessage().contains("'taken'"), e.getMessage());
    assertFalse(probe.exists(keys.execution("atomic")));
    assertFalse(probe.exists(keys.state("atomic")));
    assertFalse(probe.exists(keys.nodes("atomic")));
    assertFalse(probe.exists(keys.index()));
    assertFalse(probe.exists(keys.queues()));
    assertFalse(probe.exists(keys.stream()));
    assertEquals("1", probe.string(q("w").id()), "only the Queue.add counted");
    assertFalse(probe.exists(q("w2").id()));
    assertFalse(probe.exists(q("w2").events()));
    assertEquals(List.of("taken"), probe.list(q("w").waitList()));
    assertEquals(eventsBefore, probe.stream(q("w").events()));
  }

  @Test
  void anInvalidSpecIsRefusedBeforeAnythingIsSent() {
    DagSpec bad = new DagSpec(null, "wf", null, List.of(
        new DagNode("a", "w", null, null, null, List.of("b"), null),
        new DagNode("b", "w", null, null, null, List.of("a"), null)), 0, null, null, null);
    DagValidationException e = assertThrows(DagValidationException.class, () -> dags.submit(bad));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertFalse(probe.exists(q("w").id()));
  }

  @Test
  void listFiltersByStatusAndWorkflowNewestFirst() {
    dags.submit(Dag.builder("wf-a").executionId("x1").node("n").queue("w").build());
    dags.submit(Dag.builder("wf-b").executionId("x2").node("n").queue("w").build());
    dags.submit(Dag.builder("wf-a").executionId("x3").node("n").queue("w").build());

    assertEquals(List.of("x3", "x2", "x1"), ids(dags.list(null, null, 0, 10)));
    assertEquals(List.of("x2"), ids(dags.list(null, null, 1, 1)));
    assertEquals(List.of("x3", "x1"), ids(dags.list(null, "wf-a", 0, 10)));
    assertEquals(List.of("x1"), ids(dags.list(ExecutionStatus.RUNNING, "wf-a", 1, 10)));
    assertEquals(List.of(), ids(dags.list(ExecutionStatus.COMPLETED, null, 0, 10)));
    DagSummary x2 = dags.list(ExecutionStatus.RUNNING, "wf-b", 0, 10).get(0);
    assertEquals(new DagSummary("x2", "wf-b", ExecutionStatus.RUNNING, NOW, null, 1, 0, 0), x2);
    assertThrows(IllegalArgumentException.class, () -> dags.list(null, null, 0, 0));
  }

  @Test
  void tenThousandNodesGoInOneSubmit() {
    Dag.Builder b = Dag.builder("big").executionId("big");
    for (int i = 0; i < 10_000; i++) {
      b.node("n" + i).queue("q" + (i % 10)).data(Map.of("i", i));
      if (i > 0) {
        b.dependsOn("n" + ((i - 1) / 2));
      }
    }
    DagSpec spec = b.build();
    long start = System.nanoTime();
    dags.submit(spec);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("submitted 10000 nodes in " + ms + " ms");

    Map<String, String> record = probe.hash(keys.execution("big"));
    assertEquals("10000", record.get("total"));
    assertEquals("1", record.get("released"));
    assertEquals(10_000, probe.hash(keys.state("big")).size());
    assertEquals(9_999, probe.hash(keys.pending("big")).size());
    assertEquals("1000", probe.string(q("q3").id()));
    long start2 = System.nanoTime();
    DagExecution ex = dags.get("big").orElseThrow();
    System.out.println("read 10000 nodes in " + (System.nanoTime() - start2) / 1_000_000 + " ms");
    assertEquals(new DagTotals(10_000, 10_000, 0, 0, 0, 0, 0), ex.totals());
  }

  private static List<String> ids(List<DagSummary> page) {
    return page.stream().map(DagSummary::id).toList();
  }
}
