package dev.corral.sdk.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.JobState;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagTotals;
import dev.corral.broker.dag.ExecutionFinishedWatcher;
import dev.corral.broker.dag.ExecutionStatus;
import dev.corral.broker.dag.NodeState;
import dev.corral.broker.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** DAG executions processed end to end by real Java Workers, driven through the SDK's {@link DagClient}. */
class DagWorkerIT extends DagWorkerTestBase {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aDiamondAcrossTwoQueuesGivesTheJoinBothResultsByNodeId() throws Exception {
    List<Map<String, JsonNode>> seenByA = new CopyOnWriteArrayList<>();
    List<Map<String, JsonNode>> seenByD = new CopyOnWriteArrayList<>();
    List<Map<String, String>> failuresSeenByD = new CopyOnWriteArrayList<>();
    t.on("a", ctx -> {
      seenByA.add(ctx.dependencyResults());
      return Map.of("rows", 10);
    });
    t.on("b", ctx -> ctx.dependencyResults().get("a").get("rows").asInt() * 2);
    t.on("c", ctx -> "c saw " + ctx.dependencyResults().get("a").get("rows").asInt());
    t.on("d", ctx -> {
      seenByD.add(ctx.dependencyResults());
      failuresSeenByD.add(ctx.dependencyFailures());
      return "joined";
    });
    t.worker("etl", 2);
    t.worker("load", 2);

    String id = t.dags.builder("diamond")
        .node("a").queue("etl")
        .node("b").queue("etl").dependsOn("a")
        .node("c").queue("load").dependsOn("a")
        .node("d").queue("load").dependsOn("b", "c")
        .submit();
    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(new DagTotals(4, 0, 0, 4, 0, 0, 0), done.totals());
    assertEquals(List.of(Map.of()), seenByA, "a root has no dependency results");
    assertEquals(List.of(Map.of("b", Json.parseLenient("20"), "c", Json.parseLenient("\"c saw 10\""))), seenByD);
    assertEquals(List.of(Map.of()), failuresSeenByD);
    assertEquals(List.of("a", "d"), List.of(t.ranInOrder.get(0), t.ranInOrder.get(3)));
    assertNotNull(done.startedAt());
    assertNotNull(done.completedAt());
    assertTrue(done.completedAt() >= done.startedAt());
    // Node users read the same values keyed by job key (job.getChildrenValues()), as the broker stores them
    Map<String, JsonNode> byJobKey = t.queue("load").getChildrenValues(done.node("d").jobId());
    assertEquals(new TreeMap<>(Map.of(
        t.queue("etl").keys().job(done.node("b").jobId()), Json.parseLenient("20"),
        t.queue("load").keys().job(done.node("c").jobId()), Json.parseLenient("\"c saw 10\""))),
        new TreeMap<>(byJobKey));
    assertEquals(List.of(), t.workerErrors);
  }

  @Test
  void aWideFanOutAndFanInRunsEveryBranchOnceAndTheJoinSeesAllFifty() throws Exception {
    List<Map<String, JsonNode>> seenByEnd = new CopyOnWriteArrayList<>();
    t.on("end", ctx -> {
      seenByEnd.add(ctx.dependencyResults());
      return ctx.dependencyResults().size();
    });
    t.worker("fan", 8);
    t.worker("fan2", 8);
    DagSubmission dag = t.dags.builder("fan").node("start").queue("fan");
    List<String> middle = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
    for (int i = 0; i < middle.size(); i++) {
      dag.node(middle.get(i)).queue(i % 2 == 0 ? "fan" : "fan2").dependsOn("start");
    }
    String id = dag.node("end").queue("fan").dependsOn(middle.toArray(String[]::new)).submit();

    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(52, done.totals().completed());
    assertEquals(1, seenByEnd.size());
    assertEquals(middle.size(), seenByEnd.get(0).size());
    middle.forEach(m -> assertEquals(m + "-out", seenByEnd.get(0).get(m).asText()));
    assertEquals("start", t.ranInOrder.get(0));
    assertEquals("end", t.ranInOrder.get(t.ranInOrder.size() - 1));
    middle.forEach(m -> assertEquals(1, t.runs(m), m));
    assertEquals(52, t.ranInOrder.size());
  }

  @Test
  void aDeepChainRunsStrictlyInOrderEachNodeSeeingOnlyItsPredecessor() throws Exception {
    int depth = 30;
    List<String> wrongInputs = new CopyOnWriteArrayList<>();
    for (int i = 0; i < depth; i++) {
      int n = i;
      t.on("n" + i, ctx -> {
        Map<String, JsonNode> in = ctx.dependencyResults();
        Map<String, JsonNode> expected = n == 0 ? Map.of() : Map.of("n" + (n - 1), Json.parseLenient("" + (n - 1)));
        if (!in.equals(expected)) {
          wrongInputs.add("n" + n + " saw " + in);
        }
        return n;
      });
    }
    t.worker("chain", 4);
    t.worker("chain2", 4);
    DagSubmission dag = t.dags.builder("chain");
    for (int i = 0; i < depth; i++) {
      dag.node("n" + i).queue(i % 3 == 0 ? "chain2" : "chain");
      if (i > 0) {
        dag.dependsOn("n" + (i - 1));
      }
    }
    String id = dag.submit();

    DagExecution done = t.dags.awaitCompletion(id, WAIT);

    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(IntStream.range(0, depth).mapToObj(i -> "n" + i).toList(), t.ranInOrder);
    assertEquals(List.of(), wrongInputs);
    for (int i = 1; i < depth; i++) {
      assertTrue(done.node("n" + i).processedOn() >= done.node("n" + (i - 1)).finishedOn(), "n" + i);
    }
  }

  @Test
  void resubmittingWithTheSameIdempotencyKeyReturnsTheSameExecution() throws Exception {
    t.worker("idem", 1);
    String first = t.dags.builder("idem").idempotencyKey("run-2026-01-01")
        .node("a").queue("idem").node("b").queue("idem").dependsOn("a").submit();
    String again = t.dags.builder("idem").idempotencyKey("run-2026-01-01")
        .node("a").queue("idem").node("b").queue("idem").dependsOn("a").submit();
    assertEquals(first, again);
    t.dags.awaitCompletion(first, WAIT);
    String afterEnd = t.dags.builder("idem").idempotencyKey("run-2026-01-01")
        .node("x").queue("idem").submit();

    assertEquals(first, afterEnd, "the key holds for the execution's retention, also once it ended");
    assertEquals(List.of("a", "b"), t.ranInOrder);
    assertEquals(2, t.queue("idem").getJobCount(JobState.COMPLETED));
    assertEquals(1, t.dags.list(null, "idem", 0, 10).size());
  }

  @Test
  void awaitCompletionWakesOnTheFinishEventNotOnTheSafetyNetCheck() throws Exception {
    try (DagWorkers slowNet = new DagWorkers(client, Duration.ofMinutes(1))) {
      CountDownLatch release = new CountDownLatch(1);
      AtomicLong lastNodeFinishing = new AtomicLong();
      slowNet.on("last", ctx -> {
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        lastNodeFinishing.set(System.nanoTime());
        return "done";
      });
      slowNet.worker("prompt", 1);
      String id = slowNet.dags.builder("prompt").node("first").queue("prompt")
          .node("last").queue("prompt").dependsOn("first").submit();
      Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(500); // the caller is blocked in awaitCompletion by then
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        release.countDown();
      });

      DagExecution done = slowNet.dags.awaitCompletion(id, WAIT);
      long afterLastNodeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastNodeFinishing.get());

      assertEquals(ExecutionStatus.COMPLETED, done.status());
      assertTrue(afterLastNodeMs < 1_000, "returned " + afterLastNodeMs + " ms after the last node");
      assertEquals(NodeState.COMPLETED, done.node("last").state());
    }
  }

  @Test
  void awaitCompletionTimesOutOnAnExecutionThatNeverFinishes() throws Exception {
    String id = t.dags.builder("stuck").node("never").queue("no-worker-here").submit();

    long start = System.nanoTime();
    assertThrows(TimeoutException.class, () -> t.dags.awaitCompletion(id, Duration.ofMillis(400)));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(tookMs >= 400 && tookMs < 3_000, "timed out after " + tookMs + " ms");
    assertThrows(TimeoutException.class, () -> t.dags.awaitCompletion(id, Duration.ZERO));
    assertEquals(ExecutionStatus.RUNNING, t.dags.status(id).orElseThrow());
    assertEquals(ExecutionStatus.CANCELLED, cancelAndAwait(id).status(), "an ended one returns at once");
  }

  private DagExecution cancelAndAwait(String id) throws Exception {
    assertTrue(t.dags.cancel(id));
    return t.dags.awaitCompletion(id, Duration.ZERO);
  }

  @Test
  void theSlowStatusCheckFindsAnEndWhoseEventWasTrimmedAway() throws Exception {
    try (DagWorkers net = new DagWorkers(client, Duration.ofMillis(200))) {
      String id = net.dags.builder("trimmed").node("n").queue("nobody").submit();
      CompletableFuture<DagExecution> waiting = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try {
          waiting.complete(net.dags.awaitCompletion(id, WAIT));
        } catch (Exception e) {
          waiting.completeExceptionally(e);
        }
      });
      Thread.sleep(300); // blocked on the stream by now
      // an end whose execution-finished event is gone, as if the stream had been trimmed past it
      client.redisson().getMap(net.dags.executions().keys().execution(id), StringCodec.INSTANCE)
          .putAll(Map.of("status", "completed", "completedAt", "12345"));
      long start = System.nanoTime();

      DagExecution done = waiting.get(5, TimeUnit.SECONDS);

      assertEquals(12345L, done.completedAt());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1_000);
      assertEquals(List.of(), net.dagEvents("execution-finished", id));
    }
  }

  @Test
  void manyCallersWaitingAtOnceShareOneStreamReaderAndAllWakeUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    t.on("n", ctx -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    t.worker("many", 3);
    List<String> ids = IntStream.range(0, 3)
        .mapToObj(i -> t.dags.builder("many").node("n").queue("many").submit()).toList();
    List<CompletableFuture<ExecutionStatus>> waiting = new ArrayList<>();
    for (String id : ids) {
      for (int copy = 0; copy < 2; copy++) {
        CompletableFuture<ExecutionStatus> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
          try {
            f.complete(t.dags.awaitCompletion(id, WAIT).status());
          } catch (Exception e) {
            f.completeExceptionally(e);
          }
        });
        waiting.add(f);
      }
    }
    Thread.sleep(300);
    String readerName = ExecutionFinishedWatcher.clientName(t.dags.executions().keys().stream());
    assertEquals(1, t.probe.clientNames().stream().filter(readerName::equals).count(), "one reader connection");

    release.countDown();

    for (CompletableFuture<ExecutionStatus> f : waiting) {
      assertEquals(ExecutionStatus.COMPLETED, f.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void inputsAreValidatedNamingTheField() {
    assertEquals("execId cannot be null",
        assertThrows(IllegalArgumentException.class, () -> t.dags.awaitCompletion(null, WAIT)).getMessage());
    assertEquals("execId cannot be blank",
        assertThrows(IllegalArgumentException.class, () -> t.dags.get(" ")).getMessage());
    assertEquals("execId cannot be blank",
        assertThrows(IllegalArgumentException.class, () -> t.dags.cancel("")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> t.dags.status("a:b")).getMessage()
        .startsWith("execId must match"));
    assertEquals("timeout must be >= 0, was PT-1S", assertThrows(IllegalArgumentException.class,
        () -> t.dags.awaitCompletion("x", Duration.ofSeconds(-1))).getMessage());
    assertEquals("timeout cannot be null",
        assertThrows(IllegalArgumentException.class, () -> t.dags.awaitCompletion("x", null)).getMessage());
    assertEquals("workflowId cannot be blank",
        assertThrows(IllegalArgumentException.class, () -> t.dags.list(null, " ", 0, 10)).getMessage());
    assertEquals("spec cannot be null",
        assertThrows(IllegalArgumentException.class, () -> t.dags.submit(null)).getMessage());
    assertThrows(NoSuchElementException.class, () -> t.dags.awaitCompletion("unknown-exec", WAIT));
    assertTrue(t.dags.status("unknown-exec").isEmpty());
  }
}
