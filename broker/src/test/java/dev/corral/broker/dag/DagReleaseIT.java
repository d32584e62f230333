package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** Release exactly once: nodes finished through the real worker scripts release their dependents. */
class DagReleaseIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private DagDriver t;

  @BeforeEach
  void fresh() {
    t = new DagDriver(client);
  }

  @Test
  void aDiamondReleasesTheJoinOnceAfterBothBranchesWithBothResults() {
    t.dags.submit(Dag.builder("wf").executionId("d").retention(Duration.ofHours(1))
        .node("a").queue("etl")
        .node("b").queue("etl").dependsOn("a")
        .node("c").queue("other").dependsOn("a")
        .node("d").queue("etl").dependsOn("b", "c")
        .build());
    QueueKeys etl = t.keys.queue("etl");

    assertEquals("a", t.runNext("etl"));
    assertEquals(Map.of("a", "completed", "b", "released", "c", "released", "d", "held"), t.state("d"));
    assertEquals("b", t.runNext("etl"));
    assertNull(t.take("etl"), "d must wait for c");
    assertEquals("held", t.state("d").get("d"));
    String dKey = t.jobKey("d", "d");
    assertEquals(Map.of(t.jobKey("d", "b"), DagDriver.result("b")), t.probe.hash(dKey + ":processed"));

    assertEquals("c", t.runNext("other"));
    assertEquals("released", t.state("d").get("d"));
    String dJob = dKey.substring(etl.base().length());
    assertEquals(List.of(dJob), t.probe.list(etl.waitList()));
    assertEquals(Map.of(t.jobKey("d", "b"), DagDriver.result("b"), t.jobKey("d", "c"), DagDriver.result("c")),
        t.probe.hash(dKey + ":processed"));
    long waitingEvents = t.probe.stream(etl.events()).stream()
        .filter(e -> "waiting".equals(e.get("event")) && dJob.equals(e.get("jobId"))).count();
    assertEquals(1, waitingEvents, "d released exactly once");
    assertEquals(1, t.dagEvents("node-released").stream().filter(e -> "d".equals(e.get("node"))).count());
    assertEquals(Map.of("event", "waiting", "jobId", dJob, "prev", "waiting-children"),
        t.probe.stream(etl.events()).stream().filter(e -> dJob.equals(e.get("jobId")))
            .filter(e -> "waiting".equals(e.get("event"))).findFirst().orElseThrow());

    assertEquals("d", t.runNext("etl"));
    Map<String, String> record = t.record("d");
    assertEquals("completed", record.get("status"));
    assertNotNull(record.get("completedAt"));
    assertEquals("4", record.get("completed"));
    assertEquals("0", record.get("released"));
    assertEquals("0", record.get("held"));
    long ttl = t.probe.pttl(t.keys.execution("d"));
    assertTrue(ttl > 3_500_000 && ttl <= 3_600_000, "retention ttl " + ttl);
    assertTrue(t.probe.pttl(t.keys.state("d")) > 0);
    assertTrue(t.probe.pttl(t.keys.nodes("d")) > 0);
    assertEquals(List.of("d"), t.probe.zset(t.keys.status(ExecutionStatus.COMPLETED)).stream()
        .map(Map.Entry::getKey).toList());
    assertFalse(t.probe.exists(t.keys.status(ExecutionStatus.RUNNING)));
    assertFalse(t.probe.exists(t.keys.queues()), "no live execution uses the queues any more");
    assertEquals(List.of(Map.of("event", "execution-finished", "execId", "d", "status", "completed")),
        t.dagEvents("execution-finished"));
    DagExecution ex = t.dags.get("d").orElseThrow();
    assertEquals(new DagTotals(4, 0, 0, 4, 0, 0, 0), ex.totals());
    assertNotNull(ex.node("d").finishedOn());

    // the coordinator's script is a no-op for a node already handled inline
    assertFalse(t.dags.nodeFinished("etl", dJob));
    assertEquals(1, t.dagEvents("execution-finished").size());
  }

  @Test
  void aNodeIsNeverStampedProcessedBeforeItsDependenciesLatestFinishEvenByAFetchWithAnOlderClockReading() {
    t.dags.submit(Dag.builder("wf").executionId("t")
        .node("a").queue("etl")
        .node("b").queue("etl")
        .node("join").queue("etl").dependsOn("a", "b")
        .build());
    long t0 = 1_800_000_000_000L;
    DagDriver.Taken first = t.takeAt("etl", t0);
    DagDriver.Taken second = t.takeAt("etl", t0);
    // the finish that ran first read the later clock: the join's ready time is the latest finish, not the last
    t.completeAt(first, t0 + 500);
    t.completeAt(second, t0 + 200);

    DagDriver.Taken join = t.takeAt("etl", t0 + 100);

    assertEquals("join", join.node());
    String joinKey = t.jobKey("t", "join");
    assertEquals(String.valueOf(t0 + 500), t.probe.hash(joinKey).get("processedOn"));
    assertEquals(String.valueOf(t0 + 500), t.probe.hash(joinKey).get("dagReadyAt"));
    t.completeAt(join, t0 + 300);
    assertEquals(String.valueOf(t0 + 500), t.probe.hash(joinKey).get("finishedOn"), "never finished before processed");
  }

  @Test
  void aWideFanOutFanInReleasesTheJoinAfterTheLastBranch() {
    Dag.Builder b = Dag.builder("wf").executionId("fan").node("start").queue("w");
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      b.node("m" + i).queue(i % 2 == 0 ? "w" : "w2").dependsOn("start");
      middle.add("m" + i);
    }
    t.dags.submit(b.node("end").queue("w").dependsOn(middle.toArray(String[]::new)).build());

    assertEquals("start", t.runNext("w"));
    Set<String> ran = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ran.add(t.runNext("w2"));
    }
    for (int i = 0; i < 100; i++) {
      String node = t.runNext("w");
      assertTrue(node.startsWith("m"), "the join ran before every branch finished: " + node);
      ran.add(node);
    }
    assertEquals(new HashSet<>(middle), ran);
    assertEquals(200, t.probe.hash(t.jobKey("fan", "end") + ":processed").size());
    assertEquals("end", t.runNext("w"));
    assertNull(t.take("w"));
    assertEquals("completed", t.record("fan").get("status"));
  }

  @Test
  void aDeepChainRunsOneNodeAtATimeInOrder() {
    Dag.Builder b = Dag.builder("wf").executionId("chain").node("n0").queue("c");
    for (int i = 1; i < 300; i++) {
      b.node("n" + i).queue("c").dependsOn("n" + (i - 1));
    }
    t.dags.submit(b.build());

    for (int i = 0; i < 300; i++) {
      DagDriver.Taken job = t.take("c");
      assertEquals("n" + i, job.node());
      assertNull(t.take("c"), "only one node of a chain is runnable at a time");
      t.complete(job);
    }
    assertEquals("completed", t.record("chain").get("status"));
    assertEquals("300", t.record("chain").get("completed"));
  }

  @Test
  void nodesInMixedQueuesWithDelayAndPriorityAreReleasedLikeFlowParents() {
    t.dags.submit(Dag.builder("wf").executionId("mix")
        .node("a").queue("q1")
        .node("late").queue("q2").dependsOn("a").options(JobOptions.builder().delay(60_000).build())
        .node("urgent").queue("q3").dependsOn("a").options(JobOptions.builder().priority(5).build())
        .build());
    t.runNext("q1");

    assertEquals(1, t.probe.zset(t.keys.queue("q2").delayed()).size());
    assertEquals(1, t.probe.zset(t.keys.queue("q3").prioritized()).size());
    assertEquals("urgent", t.runNext("q3"));
    assertEquals("running", t.record("mix").get("status"), "the delayed node is still released");
  }

  @Test
  void theParallelismCapsReleasedUnfinishedNodes() {
    Dag.Builder b = Dag.builder("wf").executionId("cap").parallelism(3).node("root").queue("p");
    for (int i = 0; i < 8; i++) {
      b.node("x" + i).queue(i % 2 == 0 ? "p" : "p2").dependsOn("root");
    }
    t.dags.submit(b.build());
    assertEquals("root", t.runNext("p"));

    int finished = 0;
    List<DagDriver.Taken> running = new ArrayList<>();
    while (finished < 8) {
      for (String q : List.of("p", "p2")) {
        DagDriver.Taken job;
        while ((job = t.take(q)) != null) {
          running.add(job);
        }
      }
      long released = t.state("cap").values().stream().filter("released"::equals).count();
      assertTrue(running.size() <= 3 && released <= 3, running.size() + " running, " + released + " released");
      assertEquals(Math.min(3, 8 - finished), running.size());
      t.complete(running.remove(0));
      finished++;
    }
    assertEquals("completed", t.record("cap").get("status"));
    List<String> order = t.dagEvents("node-released").stream().map(e -> e.get("node")).toList();
    assertEquals(List.of("root", "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"), order, "ready nodes go FIFO");
  }

  @Test
  void theCoordinatorScriptFinishesANodeAJobFinishedOutsideCorral() {
    t.dags.submit(Dag.builder("wf").executionId("ext")
        .node("a").queue("n")
        .node("b").queue("n").dependsOn("a")
        .build());
    DagDriver.Taken a = t.take("n");
    QueueKeys n = t.keys.queue("n");
    // what a Node BullMQ worker's moveToFinished leaves: the job in completed with its return value
    client.redisson().getList(n.active(), StringCodec.INSTANCE).remove(a.jobId());
    client.redisson().getScoredSortedSet(n.completed(), StringCodec.INSTANCE).add(1, a.jobId());
    client.redisson().getMap(n.job(a.jobId()), StringCodec.INSTANCE).put("returnvalue", "42");
    assertEquals("released", t.state("ext").get("a"));

    assertTrue(t.dags.nodeFinished("n", a.jobId()));
    assertFalse(t.dags.nodeFinished("n", a.jobId()), "idempotent");
    assertEquals("completed", t.state("ext").get("a"));
    assertEquals(Map.of(n.job(a.jobId()), "42"), t.probe.hash(t.jobKey("ext", "b") + ":processed"));

    // the sweep: a released node whose job hash is gone fails as "job removed"
    DagDriver.Taken b = t.take("n");
    client.redisson().getKeys().delete(n.job(b.jobId()));
    List<Object> reply = client.scripts().run(Command.DAG_NODE_FINISHED, n.base(), b.jobId(), "1",
        t.keys.execution("ext"), "b");
    assertEquals(1L, reply.get(0));
    assertEquals("failed", t.state("ext").get("b"));
    assertEquals("failed", t.record("ext").get("status"));
    assertFalse(t.dags.nodeFinished("n", "no-such-job"));
  }
}
