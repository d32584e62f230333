package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failure policies (fail, continue, skip) and cancellation, driven through the real worker scripts. */
class DagFailureIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private DagDriver t;

  @BeforeEach
  void fresh() {
    t = new DagDriver(client);
  }

  /** r → x, r → y, x → z; x has {@code policy}. */
  private void submitForkWith(String execId, FailurePolicy policy) {
    t.dags.submit(Dag.builder("wf").executionId(execId)
        .node("r").queue("f")
        .node("x").queue("f").dependsOn("r").failurePolicy(policy)
        .node("y").queue("g").dependsOn("r")
        .node("z").queue("f").dependsOn("x")
        .build());
    assertEquals("r", t.runNext("f"));
  }

  @Test
  void failCancelsWhatHasNotStartedAndEndsWhenTheRunningNodesFinish() {
    submitForkWith("fail", FailurePolicy.FAIL);
    DagDriver.Taken x = t.take("f");
    DagDriver.Taken y = t.take("g");
    String zKey = t.jobKey("fail", "z");

    t.fail(x, "boom");

    Map<String, String> record = t.record("fail");
    assertEquals("failed", record.get("status"));
    assertNull(record.get("completedAt"), "y still runs");
    assertEquals(Map.of("r", "completed", "x", "failed", "y", "released", "z", "cancelled"), t.state("fail"));
    assertFalse(t.probe.exists(zKey), "the held job of z is removed");
    assertTrue(t.probe.zset(t.keys.queue("f").waitingChildren()).isEmpty());
    assertEquals(List.of("fail"), t.probe.zset(t.keys.status(ExecutionStatus.FAILED)).stream()
        .map(Map.Entry::getKey).toList());

    t.complete(y);
    record = t.record("fail");
    assertEquals("failed", record.get("status"));
    assertNotNull(record.get("completedAt"));
    assertEquals(new DagTotals(4, 0, 0, 2, 1, 0, 1), t.dags.get("fail").orElseThrow().totals());
    assertEquals(List.of(Map.of("event", "execution-finished", "execId", "fail", "status", "failed")),
        t.dagEvents("execution-finished"));
  }

  @Test
  void failRemovesReleasedJobsNoWorkerHasTaken() {
    submitForkWith("fail2", FailurePolicy.FAIL);
    DagDriver.Taken x = t.take("f");
    String yKey = t.jobKey("fail2", "y");
    QueueKeys g = t.keys.queue("g");
    assertEquals(1, t.probe.list(g.waitList()).size());

    t.fail(x, "boom");

    assertEquals("cancelled", t.state("fail2").get("y"));
    assertTrue(t.probe.list(g.waitList()).isEmpty());
    assertFalse(t.probe.exists(yKey));
    String yJob = yKey.substring(g.base().length());
    assertTrue(t.probe.stream(g.events()).contains(Map.of("event", "removed", "jobId", yJob, "prev", "wait")));
    assertNotNull(t.record("fail2").get("completedAt"), "nothing runs: the execution ends at once");
    assertEquals("2", t.record("fail2").get("cancelled"));
  }

  @Test
  void continueReleasesDependentsWithTheFailureInTheirFailedHash() {
    submitForkWith("cont", FailurePolicy.CONTINUE);
    DagDriver.Taken x = t.take("f");
    t.fail(x, "bad input");

    assertEquals("released", t.state("cont").get("z"));
    String xKey = t.keys.queue("f").job(x.jobId());
    assertEquals(Map.of(xKey, "bad input"), t.probe.hash(t.jobKey("cont", "z") + ":failed"));
    assertEquals("z", t.runNext("f"));
    assertEquals("y", t.runNext("g"));
    Map<String, String> record = t.record("cont");
    assertEquals("completed", record.get("status"));
    assertEquals("3", record.get("completed"));
    assertEquals("1", record.get("failed"));
  }

  @Test
  void skipSkipsEveryTransitiveDependentAndLetsOtherBranchesFinish() {
    t.dags.submit(Dag.builder("wf").executionId("skip").defaultFailurePolicy(FailurePolicy.SKIP)
        .node("r").queue("s")
        .node("x").queue("s").dependsOn("r")
        .node("y").queue("s3").dependsOn("r")
        .node("z").queue("s2").dependsOn("x")
        .node("w").queue("s").dependsOn("z", "y")
        .build());
    t.runNext("s");
    DagDriver.Taken x = t.take("s");
    assertEquals("x", x.node());
    String zKey = t.jobKey("skip", "z");
    String wKey = t.jobKey("skip", "w");

    t.fail(x, "nope");

    assertEquals(Map.of("r", "completed", "x", "failed", "y", "released", "z", "skipped", "w", "skipped"),
        t.state("skip"));
    assertFalse(t.probe.exists(zKey));
    assertFalse(t.probe.exists(wKey));
    assertEquals("running", t.record("skip").get("status"));
    assertEquals("y", t.runNext("s3"));
    assertNull(t.take("s"), "w was skipped, not released by y");
    Map<String, String> record = t.record("skip");
    assertEquals("completed", record.get("status"));
    assertEquals("2", record.get("skipped"));
    assertEquals(new DagTotals(5, 0, 0, 2, 1, 2, 0), t.dags.get("skip").orElseThrow().totals());
  }

  @Test
  void cancelMidRunCancelsWaitingNodesAndLetsRunningOnesFinish() {
    t.dags.submit(Dag.builder("wf").executionId("cx").parallelism(2)
        .node("a").queue("k")
        .node("b").queue("k")
        .node("c").queue("k")
        .node("d").queue("k").dependsOn("a")
        .build());
    DagDriver.Taken a = t.take("k");
    assertEquals("a", a.node());

    assertTrue(t.dags.cancel("cx"));

    assertEquals(Map.of("a", "released", "b", "cancelled", "c", "cancelled", "d", "cancelled"), t.state("cx"));
    assertEquals("cancelled", t.record("cx").get("status"));
    assertNull(t.record("cx").get("completedAt"));
    assertNull(t.take("k"), "nothing left to run");
    assertTrue(t.probe.zset(t.keys.queue("k").waitingChildren()).isEmpty());
    assertFalse(t.probe.exists(t.keys.ready("cx")));
    assertFalse(t.dags.cancel("cx"), "already cancelled");

    t.complete(a);
    Map<String, String> record = t.record("cx");
    assertEquals("cancelled", record.get("status"));
    assertNotNull(record.get("completedAt"));
    assertFalse(t.probe.exists(t.jobKey("cx", "d")), "d was never released");
    assertEquals(new DagTotals(4, 0, 0, 1, 0, 0, 3), t.dags.get("cx").orElseThrow().totals());
    assertEquals(List.of("cx"), t.probe.zset(t.keys.status(ExecutionStatus.CANCELLED)).stream()
        .map(Map.Entry::getKey).toList());
    assertThrows(NoSuchElementException.class, () -> t.dags.cancel("unknown"));
  }

  @Test
  void aFinishedExecutionCannotBeCancelled() {
    t.dags.submit(Dag.builder("wf").executionId("done").node("a").queue("k").build());
    t.runNext("k");
    assertFalse(t.dags.cancel("done"));
    assertEquals("completed", t.record("done").get("status"));
  }
}
