package dev.corral.sdk.pool;

import static dev.corral.sdk.pool.PoolTestSupport.WAIT;
import static dev.corral.sdk.pool.PoolTestSupport.awaitDead;
import static dev.corral.sdk.pool.PoolTestSupport.awaitProcess;
import static dev.corral.sdk.pool.PoolTestSupport.data;
import static dev.corral.sdk.pool.PoolTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.testing.Await;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's life cycle with real node children: recycling, limits, timeouts, crashes, scaling, closing. */
class ProcessPoolIT {

  private final PoolTestSupport support = new PoolTestSupport();

  @AfterEach
  void close() {
    support.closeAll();
  }

  private static PoolJobException poolFailure(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT.toSeconds(),
        java.util.concurrent.TimeUnit.SECONDS));
    return assertInstanceOf(PoolJobException.class, e.getCause());
  }

  @Test
  void aJobRunsInAChildWithProgressLogsAndResultAndIsReported() throws Exception {
    PoolProcessor pool = support.pool(node());
    FakeJobContext ctx = support.ctx(data("progress", List.of(10, 50), "logs", List.of("one", "two"), "value", "ok",
        "sleepMs", 300));
    Future<JsonNode> future = support.submit(pool, ctx);

    ProcessInfo busy = awaitProcess(pool, ProcessState.BUSY, "a busy process");
    assertEquals(ctx.job().id(), busy.execution().jobId());
    assertEquals("fake-queue", busy.execution().queue());
    JsonNode result = future.get();
    assertEquals("ok", result.get("value").asText());
    assertEquals(busy.pid(), result.get("pid").asLong());
    assertEquals(busy.processId(), result.get("processId").asText());
    assertEquals("fake-queue", result.get("queue").asText());
    assertEquals(List.of(10, 50), ctx.progress.stream().map(JsonNode::asInt).toList());
    assertEquals(List.of("one", "two"), ctx.logs);
    ProcessInfo idle = awaitProcess(pool, ProcessState.IDLE, "the process idle again");
    assertEquals(busy.pid(), idle.pid());
    assertEquals(1, idle.executionsCompleted());
    assertTrue(idle.memoryMb() > 0, "VmRSS of a node child: " + idle.memoryMb());
  }

  @Test
  void aBusyProcessAskedToRecycleFinishesItsJobThenIsReplaced() throws Exception {
    PoolProcessor pool = support.pool(node().minProcesses(1).maxProcesses(1));
    Future<JsonNode> future = support.submit(pool, support.ctx(data("sleepMs", 600)));
    long pid = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();

    assertTrue(pool.recycle(pid, Duration.ofSeconds(10), "deploy"));
    assertEquals(pid, future.get().get("pid").asLong(), "the job finished in the recycled process");
    ProcessInfo replacement = awaitProcess(pool, ProcessState.IDLE, "a replacement");
    assertNotEquals(pid, replacement.pid());
    awaitDead(pid);
  }

  @Test
  void aBusyProcessStillRunningAtTheRecycleDeadlineIsKilledAndItsJobFailsNamingTheRecycle() {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    FakeJobContext ctx = support.ctx(data("sleepMs", 30_000));
    Future<JsonNode> future = support.submit(pool, ctx);
    long pid = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();
    long start = System.nanoTime();

    assertTrue(pool.recycle(pid, Duration.ofMillis(200), "memory leak suspected"));
    PoolJobException e = poolFailure(future);
    assertEquals(PoolJobException.Reason.RECYCLED, e.reason());
    assertEquals("pool process pid " + pid + " was recycled (memory leak suspected) and killed at its deadline of 200"
        + " ms; job " + ctx.job().id() + " had not finished", e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
    awaitDead(pid);
  }

  @Test
  void anIdleProcessIsRecycledAtOnce() {
    PoolProcessor pool = support.pool(node().minProcesses(1).maxProcesses(1));
    long first = awaitProcess(pool, ProcessState.IDLE, "the minimum process").pid();

    assertEquals(first, pool.recycleIdle("rotate"));
    long second = Await.until(WAIT, () -> pool.processes().stream()
        .filter(p -> p.state() == ProcessState.IDLE && p.pid() != first).map(ProcessInfo::pid).findFirst().orElse(null),
        "a replacement");
    awaitDead(first);
    assertTrue(pool.recycle(second, Duration.ofSeconds(1), "by pid"));
    Await.until(WAIT, () -> pool.processes().stream()
        .anyMatch(p -> p.state() == ProcessState.IDLE && p.pid() != first && p.pid() != second));
    assertFalse(pool.recycle(Long.MAX_VALUE, Duration.ofSeconds(1), "no such process"));
  }

  @Test
  void recycleIdleWithoutAnIdleProcessReturnsMinusOne() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    assertEquals(-1, pool.recycleIdle("nothing"));
    Future<JsonNode> future = support.submit(pool, support.ctx(data("sleepMs", 300)));
    awaitProcess(pool, ProcessState.BUSY, "a busy process");
    assertEquals(-1, pool.recycleIdle("still nothing"));
    future.get();
  }

  @Test
  void aProcessIsReplacedAfterMaxJobsPerProcess() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1).maxJobsPerProcess(2));
    List<Long> pids = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonNode r = pool.process(support.ctx("{}"));
      pids.add(r.get("pid").asLong());
      counts.add(r.get("jobs").asInt());
    }
    assertEquals(List.of(1, 2, 1, 2, 1), counts);
    assertEquals(pids.get(0), pids.get(1));
    assertEquals(pids.get(2), pids.get(3));
    assertEquals(3, new HashSet<>(pids).size());
  }

  @Test
  void aProcessAboveTheMemoryLimitIsReplacedOnceItsJobEnds() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1).maxMemoryMb(150));
    long lean = pool.process(support.ctx("{}")).get("pid").asLong();
    long leaky = pool.process(support.ctx(data("leakMb", 200))).get("pid").asLong();
    long fresh = pool.process(support.ctx("{}")).get("pid").asLong();

    assertEquals(lean, leaky, "a lean process is kept");
    assertNotEquals(leaky, fresh, "the leaky one was replaced after its job completed");
    awaitDead(leaky);
  }

  @Test
  void aJobPastItsTimeoutFailsAndItsChildIsKilledAndReplaced() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1).jobTimeout(Duration.ofMillis(300)));
    FakeJobContext ctx = support.ctx(data("sleepMs", 30_000));
    Future<JsonNode> future = support.submit(pool, ctx);
    long pid = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();

    PoolJobException e = poolFailure(future);
    assertEquals(PoolJobException.Reason.TIMEOUT, e.reason());
    assertEquals("job " + ctx.job().id() + " timed out after 300 ms (jobTimeout); pool process pid " + pid
        + " was killed", e.getMessage());
    awaitDead(pid);
    assertNotEquals(pid, pool.process(support.ctx("{}")).get("pid").asLong());
  }

  @Test
  void aCrashedChildFailsItsJobWithItsExitCodeAndStderrAndIsReplaced() {
    PoolProcessor pool = support.pool(node().minProcesses(1).maxProcesses(1));
    long pid = awaitProcess(pool, ProcessState.IDLE, "the minimum process").pid();
    FakeJobContext ctx = support.ctx(data("crash", 3, "stderr", "about to die"));

    PoolJobException e = poolFailure(support.submit(pool, ctx));
    assertEquals(PoolJobException.Reason.CRASHED, e.reason());
    assertEquals("pool process pid " + pid + " exited with code 3 while running job " + ctx.job().id()
        + "; stderr: about to die", e.getMessage());
    Await.until(WAIT, () -> pool.processes().stream().anyMatch(p -> p.state() == ProcessState.IDLE && p.pid() != pid));
  }

  @Test
  void anIdleChildThatDiesIsReplacedToKeepTheMinimum() {
    PoolProcessor pool = support.pool(node().minProcesses(1).maxProcesses(1));
    long pid = awaitProcess(pool, ProcessState.IDLE, "the minimum process").pid();

    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Await.until(WAIT, () -> pool.processes().stream().anyMatch(p -> p.state() == ProcessState.IDLE && p.pid() != pid));
  }

  @Test
  void aChildKilledBySignalNamesTheSignal() {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    PoolJobException e = poolFailure(support.submit(pool, support.ctx(data("killSelf", true))));
    assertEquals(PoolJobException.Reason.CRASHED, e.reason());
    assertTrue(e.getMessage().contains("exited with code 137 (signal 9) while running job"), e.getMessage());
  }

  @Test
  void thePoolScalesUpToItsMaximumUnderLoadAndShrinksBackToItsMinimum() throws Exception {
    PoolProcessor pool = support.pool(node().minProcesses(1).maxProcesses(3).idleTimeout(Duration.ofMillis(300)));
    awaitProcess(pool, ProcessState.IDLE, "the minimum process");
    List<Future<JsonNode>> futures = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      futures.add(support.submit(pool, support.ctx(data("sleepMs", 400))));
    }
    int most = 0;
    while (futures.stream().anyMatch(f -> !f.isDone())) {
      int live = (int) pool.processes().stream().filter(p -> p.state() != ProcessState.KILLED).count();
      most = Math.max(most, live);
      Thread.sleep(10);
    }
    Set<Long> pids = new HashSet<>();
    for (Future<JsonNode> f : futures) {
      pids.add(f.get().get("pid").asLong());
    }
    assertEquals(3, most, "live processes at the peak");
    assertEquals(3, pids.size(), "7 jobs ran on the 3 processes");
    Await.until(WAIT, () -> pool.processes().size() == 1 && pool.processes().get(0).state() == ProcessState.IDLE);
  }

  @Test
  void aCancelledJobKillsItsChild() {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    FakeJobContext ctx = support.ctx(data("sleepMs", 30_000));
    Future<JsonNode> future = support.submit(pool, ctx);
    long pid = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();

    ctx.cancelled = true;
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, java.util.concurrent.TimeUnit.SECONDS));
    assertInstanceOf(CancellationException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("was cancelled; pool process pid " + pid + " was killed"));
    awaitDead(pid);
  }

  @Test
  void closingThePoolFailsItsRunningJobsAndRefusesNewOnes() {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    Future<JsonNode> future = support.submit(pool, support.ctx(data("sleepMs", 30_000)));
    long pid = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();

    pool.close();
    PoolJobException e = poolFailure(future);
    assertEquals(PoolJobException.Reason.POOL_CLOSED, e.reason());
    assertEquals("the process pool was closed; pool process pid " + pid + " was killed", e.getMessage());
    assertFalse(PoolTestSupport.alive(pid));
    PoolJobException refused = assertThrows(PoolJobException.class, () -> pool.process(support.ctx("{}")));
    assertEquals(PoolJobException.Reason.POOL_CLOSED, refused.reason());
  }
}
