package dev.corral.sdk.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagTotals;
import dev.corral.broker.dag.ExecutionStatus;
import dev.corral.broker.dag.FailurePolicy;
import dev.corral.broker.dag.NodeState;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.Await;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.WorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failure policies end to end with real processors throwing (retries first, then the policy), and the
 * cancellation signal a running node gets when its execution fails or is cancelled.
 */
class DagWorkerFailureIT extends DagWorkerTestBase {

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Renewal (and so the cancellation check) every lockDuration / 4 = 100 ms. */
  private static final Duration SHORT_LOCK = Duration.ofMillis(400);

  /**
   * A node that works until its context says stop (at most 10 s): counts {@code started} down, records when
   * it saw the signal, returns "stopped on signal" (or "never told").
   */
  private static String runUntilCancelled(JobContext ctx, CountDownLatch started, long[] cancelSeenAt)
      throws InterruptedException {
    started.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ctx.isCancelled() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    cancelSeenAt[0] = System.nanoTime();
    return ctx.isCancelled() ? "stopped on signal" : "never told";
  }

  @Test
  void policyFailRetriesFirstThenFailsTheExecutionCancelsUnstartedNodesAndSignalsRunningOnes()
      throws Exception {
    CountDownLatch cStarted = new CountDownLatch(1);
    long[] cancelSeenAt = new long[1];
    List<ExecutionStatus> statusDuringAttempts = new CopyOnWriteArrayList<>();
    t.on("b", ctx -> {
      cStarted.await(10, TimeUnit.SECONDS); // c is running when b fails for good
      statusDuringAttempts.add(t.dags.status("fail-1").orElseThrow());
      throw new IllegalStateException("b broke");
    });
    t.on("c", ctx -> runUntilCancelled(ctx, cStarted, cancelSeenAt));
    t.worker("q", t.options().concurrency(4).lockDuration(SHORT_LOCK));

    t.dags.builder("fail").executionId("fail-1")
        .node("a").queue("q")
        .node("b").queue("q").dependsOn("a").options(JobOptions.builder().attempts(3).build())
        .node("c").queue("q").dependsOn("a")
        .node("d").queue("q").dependsOn("b")
        .node("e").queue("q").dependsOn("c")
        .node("x").queue("idle") // released at once, but no worker ever takes it
        .submit();
    DagExecution done = t.dags.awaitCompletion("fail-1", WAIT);

    assertEquals(ExecutionStatus.FAILED, done.status());
    assertEquals(List.of(ExecutionStatus.RUNNING, ExecutionStatus.RUNNING, ExecutionStatus.RUNNING),
        statusDuringAttempts, "every attempt ran before the policy applied");
    assertEquals(3, t.job(done, "b").orElseThrow().attemptsMade());
    assertEquals(JobState.FAILED, t.queue("q").getState(done.node("b").jobId()));
    assertEquals("\"stopped on signal\"", t.job(done, "c").orElseThrow().raw().get("returnvalue"),
        "c was told to stop and its result is still recorded");
    assertEquals(NodeState.COMPLETED, done.node("c").state());
    for (String cancelled : List.of("d", "e", "x")) {
      assertEquals(NodeState.CANCELLED, done.node(cancelled).state(), cancelled);
      assertTrue(t.job(done, cancelled).isEmpty(), cancelled + "'s job is removed");
      assertEquals(0, t.runs(cancelled), cancelled + " never ran");
    }
    assertEquals(0, t.queue("idle").getJobCount(JobState.WAITING));
    assertEquals(new DagTotals(6, 0, 0, 2, 1, 0, 3), done.totals());
    assertEquals(List.of(), t.workerErrors, "a stopped node is not a lost lock");
  }

  @Test
  void policyContinueRunsTheDependentWhichSeesTheFailureByNodeId() throws Exception {
    List<Map<String, String>> failuresSeen = new CopyOnWriteArrayList<>();
    List<Object> resultsSeen = new CopyOnWriteArrayList<>();
    t.on("a", ctx -> {
      throw new IllegalStateException("a broke");
    });
    t.on("b", ctx -> {
      failuresSeen.add(ctx.dependencyFailures());
      resultsSeen.add(ctx.dependencyResults());
      return "b ran anyway";
    });
    t.worker("q", 2);

    String id = t.dags.builder("continue")
        .node("a").queue("q").failurePolicy(FailurePolicy.CONTINUE)
        .node("c").queue("q")
        .node("b").queue("q").dependsOn("a", "c")
        .submit();
    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(List.of(Map.of("a", "a broke")), failuresSeen);
    assertEquals(List.of(Map.of("c", Json.parseLenient("\"c-out\""))), resultsSeen);
    assertEquals(new DagTotals(3, 0, 0, 2, 1, 0, 0), done.totals());
    // Node's view: job.getIgnoredChildrenFailures(), keyed by job key
    assertEquals(Map.of(t.queue("q").keys().job(done.node("a").jobId()), "a broke"),
        t.queue("q").getIgnoredChildrenFailures(done.node("b").jobId()));
  }

  @Test
  void policySkipSkipsTheDependentsTransitivelyWhileOtherBranchesGoOn() throws Exception {
    t.on("a", ctx -> {
      throw new IllegalStateException("a broke");
    });
    t.worker("q", 2);
    t.worker("q2", 2);

    String id = t.dags.builder("skip")
        .node("a").queue("q").failurePolicy(FailurePolicy.SKIP)
        .node("b").queue("q2").dependsOn("a")
        .node("c").queue("q").dependsOn("b")
        .node("d").queue("q2")
        .node("e").queue("q").dependsOn("d")
        .submit();
    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    for (String skipped : List.of("b", "c")) {
      assertEquals(NodeState.SKIPPED, done.node(skipped).state(), skipped);
      assertTrue(t.job(done, skipped).isEmpty(), skipped + "'s job is removed");
      assertEquals(0, t.runs(skipped), skipped);
    }
    assertEquals(NodeState.COMPLETED, done.node("e").state());
    assertEquals(1, t.runs("e"));
    assertEquals(new DagTotals(5, 0, 0, 2, 1, 2, 0), done.totals());
  }

  @Test
  void cancellingMidRunSignalsTheRunningNodeRemovesPendingOnesAndEndsCancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    long[] cancelSeenAt = new long[1];
    t.on("r", ctx -> runUntilCancelled(ctx, started, cancelSeenAt));
    t.worker("run", t.options().lockDuration(SHORT_LOCK));
    String id = t.dags.builder("cancel")
        .node("r").queue("run")
        .node("h").queue("run").dependsOn("r")
        .node("w").queue("idle")
        .submit();
    assertTrue(started.await(10, TimeUnit.SECONDS));

    long cancelledAt = System.nanoTime();
    assertTrue(t.dags.cancel(id));
    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    long signalMs = TimeUnit.NANOSECONDS.toMillis(cancelSeenAt[0] - cancelledAt);
    assertTrue(signalMs < 1_000, "signal after " + signalMs + " ms (renewal every 100 ms)");
    assertEquals(ExecutionStatus.CANCELLED, done.status());
    assertEquals("\"stopped on signal\"", t.job(done, "r").orElseThrow().raw().get("returnvalue"));
    assertEquals(NodeState.COMPLETED, done.node("r").state(), "a running node finishes normally");
    for (String pending : List.of("h", "w")) {
      assertEquals(NodeState.CANCELLED, done.node(pending).state(), pending);
      assertTrue(t.job(done, pending).isEmpty(), pending + "'s job is removed");
    }
    assertEquals(0, t.runs("h"));
    assertEquals(new DagTotals(3, 0, 0, 1, 0, 0, 2), done.totals());
    assertEquals(List.of(), t.workerErrors);
  }

  @Test
  void aNodeTakenJustBeforeItsExecutionWasCancelledStartsWithTheSignalSet() throws Exception {
    List<Boolean> cancelledAtStart = new CopyOnWriteArrayList<>();
    t.on("n", ctx -> {
      cancelledAtStart.add(ctx.isCancelled());
      return "ran";
    });
    // default 30 s lock: the first renewal is 7.5 s away, so only the start check can set the signal
    t.worker("late", t.options(), new WorkerListener() {
      @Override
      public void active(Job job) {
        t.dags.cancel("late-1"); // after the fetch, before the processor runs
      }
    });

    t.dags.builder("late").executionId("late-1").node("n").queue("late").submit();
    DagExecution done = t.dags.awaitCompletion("late-1", WAIT);

    assertEquals(List.of(true), cancelledAtStart);
    assertEquals(ExecutionStatus.CANCELLED, done.status());
    assertEquals(NodeState.COMPLETED, done.node("n").state());
  }

  @Test
  void aNodeWhoseWorkerDiedIsRecoveredByAnotherWorkersStalledCheckAndTheExecutionEndsOnce()
      throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch neverUnlessReleased = new CountDownLatch(1);
    List<Map<String, ?>> seenByE = new CopyOnWriteArrayList<>();
    t.on("m", ctx -> {
      if (t.runs("m") == 1) { // the worker that dies: hangs without finishing
        firstStarted.countDown();
        neverUnlessReleased.await(30, TimeUnit.SECONDS);
        return "m by the dead worker";
      }
      return "m by the survivor";
    });
    t.on("e", ctx -> {
      seenByE.add(ctx.dependencyResults());
      return "e-out";
    });
    var dying = t.worker("work", t.options().lockDuration(Duration.ofSeconds(1)).skipStalledCheck(true));
    String id = t.dags.builder("stall").node("m").queue("work").node("e").queue("work").dependsOn("m").submit();
    assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
    dying.forceClose(); // stops renewing its lock; the processor keeps hanging

    t.worker("work", t.options().stalledInterval(Duration.ofMillis(300)));
    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(2, t.runs("m"));
    assertEquals(1, t.runs("e"));
    assertEquals(List.of(Map.of("m", Json.parseLenient("\"m by the survivor\""))), seenByE);
    assertEquals(1, t.job(done, "m").orElseThrow().stalledCounter());

    neverUnlessReleased.countDown(); // the dead worker wakes up late: its completion must be refused
    Await.until(Duration.ofSeconds(5), () -> !t.workerErrors.isEmpty());
    assertEquals("\"m by the survivor\"", t.job(done, "m").orElseThrow().raw().get("returnvalue"));
    assertEquals(1, t.dagEvents("execution-finished", id).size());
    assertEquals(1, t.dagEvents("node-finished", id).stream().filter(e -> "m".equals(e.get("node"))).count());
    assertEquals(new DagTotals(2, 0, 0, 2, 0, 0, 0), t.dags.get(id).orElseThrow().totals());
  }
}
