package dev.corral.sdk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.CommandAudit;
import dev.corral.broker.workers.CommandOutcome;
import dev.corral.broker.workers.CommandType;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.WorkerRunState;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.ProcessReporting;
import dev.corral.sdk.Processor;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerListener;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteCommandsIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private RegistryFixture fx;
  private Queue queue;

  @BeforeEach
  void fresh() {
    fx = new RegistryFixture(client);
    queue = client.queue(RedisTestSupport.uniqueQueueName("cmd"), QueueOptions.defaults().withPrefix(fx.prefix));
  }

  private WorkerRunState reportedState(String workerId) {
    return fx.registry.get(workerId).map(s -> s.heartbeat() == null ? null : s.heartbeat().state()).orElse(null);
  }

  @Test
  void pauseDrainResumeAndShutdownAreCarriedOutAndAudited() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      release.await(10, TimeUnit.SECONDS);
      return "ok";
    }, fx.options("ctl-1").build());
    try {
      String pause = fx.commands.send("ctl-1", CommandType.PAUSE, "alice", "maintenance");
      assertEquals(CommandOutcome.DONE, fx.awaitAck("ctl-1", pause).outcome());
      assertTrue(worker.isPaused());
      Await.until(RegistryFixture.WAIT, () -> reportedState("ctl-1") == WorkerRunState.PAUSED);
      String waiting = queue.add("a", Map.of());
      Thread.sleep(300);
      assertEquals(JobState.WAITING, queue.getState(waiting));

      String resume = fx.commands.send("ctl-1", CommandType.RESUME, "alice", "done");
      assertEquals(CommandOutcome.DONE, fx.awaitAck("ctl-1", resume).outcome());
      Await.until(RegistryFixture.WAIT, () -> queue.getState(waiting) == JobState.ACTIVE);

      // drain: waits for the active job, takes no more
      String drain = fx.commands.send("ctl-1", CommandType.DRAIN, "bob", "deploy");
      Await.until(RegistryFixture.WAIT, () -> reportedState("ctl-1") == WorkerRunState.DRAINING);
      String next = queue.add("b", Map.of());
      release.countDown();
      CommandAudit drained = fx.awaitAck("ctl-1", drain);
      assertEquals(CommandOutcome.DONE, drained.outcome());
      assertTrue(drained.detail().startsWith("drained"), drained.detail());
      assertEquals(JobState.COMPLETED, queue.getState(waiting));
      Await.until(RegistryFixture.WAIT, () -> reportedState("ctl-1") == WorkerRunState.DRAINED);
      assertEquals(JobState.WAITING, queue.getState(next));

      String shutdown = fx.commands.send("ctl-1", CommandType.SHUTDOWN, null, null, Duration.ofSeconds(5), "bob",
          "scale down");
      CommandAudit closed = fx.awaitAck("ctl-1", shutdown);
      assertEquals(CommandOutcome.DONE, closed.outcome());
      assertEquals("bob", closed.command().requester());
      assertEquals("scale down", closed.command().reason());
      assertFalse(worker.isRunning());
      assertTrue(fx.registry.get("ctl-1").isEmpty());
    } finally {
      release.countDown();
      worker.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void recyclingAnIdleSlotRestartsItAndABusySlotRestartsAfterItsJobOnAFreshThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      threads.add(Thread.currentThread());
      if (ctx.job().name().equals("first")) {
        release.await(10, TimeUnit.SECONDS);
      }
      return "ok";
    }, fx.options("rec-1").concurrency(1).build());
    try {
      String idle = fx.commands.send("rec-1", CommandType.RECYCLE, "ops", "idle");
      CommandAudit idleAck = fx.awaitAck("rec-1", idle);
      assertEquals(CommandOutcome.DONE, idleAck.outcome());
      assertEquals("slot 0 was idle: restarted", idleAck.detail());

      String first = queue.add("first", Map.of());
      Await.until(RegistryFixture.WAIT, () -> queue.getState(first) == JobState.ACTIVE);
      // active in Redis is not yet running in the worker (the fetch reply may still be on its way): the slot is
      // busy once the processor has started
      Await.until(RegistryFixture.WAIT, () -> threads.size() == 1);
      String second = queue.add("second", Map.of()); // taken by the first's moveToFinished, same chain
      String busy = fx.commands.send("rec-1", CommandType.RECYCLE, null, 0, Duration.ofSeconds(10), "ops", "leak");
      Thread.sleep(300);
      assertEquals(0, fx.commands.audit("rec-1", 10).stream().filter(a -> a.command().id().equals(busy)).count(),
          "waits for the job");
      release.countDown();
      CommandAudit busyAck = fx.awaitAck("rec-1", busy);
      assertEquals(CommandOutcome.DONE, busyAck.outcome());
      assertEquals("slot 0 restarted after its job", busyAck.detail());
      Await.until(RegistryFixture.WAIT, () -> queue.getState(second) == JobState.COMPLETED);
      assertEquals(2, threads.size());
      assertNotEquals(threads.get(0), threads.get(1), "the next job runs on a fresh thread");

      String unknown = fx.commands.send("rec-1", CommandType.RECYCLE, null, 5, null, "ops", "");
      assertEquals(CommandOutcome.REJECTED, fx.awaitAck("rec-1", unknown).outcome());
      String pid = fx.commands.send("rec-1", CommandType.RECYCLE, 123L, null, null, "ops", "");
      assertEquals(CommandOutcome.REJECTED, fx.awaitAck("rec-1", pid).outcome());
    } finally {
      release.countDown();
      worker.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void aBusySlotWhoseJobOutlivesTheDeadlineIsCancelled() {
    AtomicInteger cancelledSeen = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      started.incrementAndGet();
      while (!ctx.isCancelled()) {
        Thread.sleep(20);
      }
      cancelledSeen.incrementAndGet();
      return "stopped";
    }, fx.options("rec-2").build());
    try {
      String id = queue.add("endless", Map.of());
      Await.until(RegistryFixture.WAIT, () -> queue.getState(id) == JobState.ACTIVE);
      Await.until(RegistryFixture.WAIT, () -> started.get() == 1); // running in the worker, not only in Redis
      String cmd = fx.commands.send("rec-2", CommandType.RECYCLE, null, 0, Duration.ofMillis(300), "ops", "stuck");
      CommandAudit ack = fx.awaitAck("rec-2", cmd);
      assertEquals(CommandOutcome.DONE, ack.outcome());
      assertEquals("slot 0: its job was cancelled at the deadline; restarted", ack.detail());
      assertEquals(1, cancelledSeen.get());
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
  }

  /** A processor that pretends to run a process pool, recording the recycle calls. */
  static final class FakePool implements Processor<String>, ProcessReporting {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String process(JobContext ctx) {
      return "ok";
    }

    @Override
    public List<ProcessInfo> processes() {
      return List.of(new ProcessInfo(101, "p1", dev.corral.broker.workers.ProcessState.IDLE, 50, 3, 7, null));
    }

    @Override
    public int minProcesses() {
      return 1;
    }

    @Override
    public int maxProcesses() {
      return 4;
    }

    @Override
    public boolean recycle(long pid, Duration deadline, String reason) {
      calls.add("recycle " + pid + " " + deadline.toMillis() + " " + reason);
      return pid == 101;
    }

    @Override
    public long recycleIdle(String reason) {
      calls.add("idle " + reason);
      return 101;
    }
  }

  @Test
  void aProcessPoolIsRecycledByPidOrAnyIdleProcessAndReportedInHeartbeats() {
    FakePool pool = new FakePool();
    Worker<String> worker = Worker.create(client, queue.name(), pool, fx.options("pool-1").build());
    try {
      assertEquals(4, fx.registry.get("pool-1").orElseThrow().registration().maxProcesses());
      var info = Await.until(RegistryFixture.WAIT, () -> fx.registry.get("pool-1").orElseThrow().heartbeat(),
          "a heartbeat").info();
      assertEquals(1, info.minWorkers());
      assertEquals(4, info.maxWorkers());
      assertEquals(1, info.poolSize());
      assertEquals(1, info.idleCount());
      assertEquals(101, info.processes().get(0).pid());

      String byPid = fx.commands.send("pool-1", CommandType.RECYCLE, 101L, null, Duration.ofSeconds(7), "ops", "rss");
      assertEquals(CommandOutcome.DONE, fx.awaitAck("pool-1", byPid).outcome());
      String unknown = fx.commands.send("pool-1", CommandType.RECYCLE, 999L, null, null, "ops", "x");
      assertEquals(CommandOutcome.REJECTED, fx.awaitAck("pool-1", unknown).outcome());
      String anyIdle = fx.commands.send("pool-1", CommandType.RECYCLE, "ops", "rotate");
      CommandAudit idleAck = fx.awaitAck("pool-1", anyIdle);
      assertEquals("recycled idle process 101", idleAck.detail());
      assertEquals(List.of("recycle 101 7000 rss", "recycle 999 60000 x", "idle rotate"), pool.calls);
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void commandsSentWhileTheWorkerCannotReachRedisAreExecutedOnceWhenItIsBack() throws Exception {
    URI redis = URI.create(RedisTestSupport.redisUrl());
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
        BrokerClient viaProxy = BrokerClient.connect(
            RedisSettings.parse("redis://127.0.0.1:" + proxy.port()), Clock.systemUTC())) {
      Worker<String> worker = Worker.create(viaProxy, queue.name(), ctx -> "ok", fx.options("flaky-1").build());
      worker.addListener(new WorkerListener() {
        @Override
        public void error(Throwable error) {
          errors.add(error);
        }
      });
      try {
        Await.until(RegistryFixture.WAIT, () -> reportedState("flaky-1") == WorkerRunState.RUNNING);
        proxy.cut();
        Thread.sleep(300);
        // no nudge reaches it: its subscription is down too
        String pause = fx.commands.send("flaky-1", CommandType.PAUSE, "ops", "while away");
        // its heartbeats stop reaching Redis: it shows as unhealthy (2 missed heartbeats)
        Await.until(RegistryFixture.WAIT, () -> fx.registry.get("flaky-1").orElseThrow().liveness()
            == dev.corral.broker.workers.Liveness.UNHEALTHY);
        Thread.sleep(3000);
        assertFalse(worker.isPaused());
        assertTrue(fx.commands.audit("flaky-1", 10).isEmpty());
        proxy.restore();

        CommandAudit ack;
        try {
          ack = fx.awaitAck("flaky-1", pause);
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "; worker errors: " + errors.stream().map(Throwable::toString)
              .toList() + "; registry: " + fx.registry.get("flaky-1"), e);
        }
        assertEquals(CommandOutcome.DONE, ack.outcome());
        assertTrue(worker.isPaused());
        Await.until(RegistryFixture.WAIT, () -> reportedState("flaky-1") == WorkerRunState.PAUSED);
        var hb = fx.registry.get("flaky-1").orElseThrow().heartbeat();
        assertTrue(hb.heartbeatFailures() > 0, "heartbeat failures counted: " + hb.heartbeatFailures());
        Thread.sleep(600);
        assertEquals(1, fx.commands.audit("flaky-1", 10).size(), "executed once");
        assertEquals(0, fx.commands.pendingCount("flaky-1"));
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }
}
