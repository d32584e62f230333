package dev.corral.sdk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.ActiveJobInfo;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.Liveness;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.StuckEvent;
import dev.corral.broker.workers.StuckReason;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRunState;
import dev.corral.broker.workers.WorkerStatus;
import dev.corral.sdk.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerRegistrationIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private RegistryFixture fx;
  private Queue queue;

  @BeforeEach
  void fresh() {
    fx = new RegistryFixture(client);
    queue = client.queue(RedisTestSupport.uniqueQueueName("reg"), QueueOptions.defaults().withPrefix(fx.prefix));
  }

  private Heartbeat awaitHeartbeat(String workerId, java.util.function.Predicate<Heartbeat> condition) {
    return Await.until(RegistryFixture.WAIT, () -> fx.registry.get(workerId).map(WorkerStatus::heartbeat)
        .filter(h -> h != null && condition.test(h)).orElse(null), "a heartbeat of " + workerId);
  }

  @Test
  void aWorkerRegistersHeartbeatsItsJobsAndCountersAndDeregistersOnClose() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      release.await(10, TimeUnit.SECONDS);
      return "ok";
    }, fx.options("reg-1").concurrency(2).registry(fx.fastRegistry().labels(Map.of("zone", "eu"))
        .capabilities(List.of("pdf")).metadata(Map.of("build", "42")).version("corral:test").build()).build());
    try {
      WorkerRegistration reg = fx.registry.get("reg-1").orElseThrow().registration();
      assertEquals(List.of(queue.name()), reg.queues());
      assertEquals(ProcessHandle.current().pid(), reg.pid());
      assertEquals(Map.of("zone", "eu"), reg.labels());
      assertEquals(List.of("pdf"), reg.capabilities());
      assertEquals("corral:test", reg.version());
      assertEquals(2, reg.concurrency());
      assertEquals(200, reg.heartbeatIntervalMs());

      String id = queue.add("render", Map.of());
      Heartbeat busy = awaitHeartbeat("reg-1", h -> h.jobs().size() == 1);
      ActiveJobInfo job = busy.jobs().get(0);
      assertEquals(new ActiveJobInfo(queue.name(), id, "render", null, null, job.startedAt()), job);
      assertEquals(1, busy.info().busyCount());
      assertEquals(1, busy.info().idleCount());
      assertEquals(2, busy.info().poolSize());
      assertEquals(0.5, busy.load());
      assertEquals(ProcessState.BUSY, busy.info().processes().get(0).state());
      assertEquals(id, busy.info().processes().get(0).execution().jobId());
      assertEquals("slot-0", busy.info().processes().get(0).processId());
      assertEquals(WorkerRunState.RUNNING, busy.state());

      release.countDown();
      Heartbeat done = awaitHeartbeat("reg-1", h -> h.processed() == 1 && h.jobs().isEmpty());
      assertEquals(0, done.failed());
      WorkerStatus status = fx.registry.get("reg-1").orElseThrow();
      assertEquals(Liveness.HEALTHY, status.liveness());
      assertTrue(status.heartbeats() >= 2, "heartbeats " + status.heartbeats());
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
    assertTrue(fx.registry.get("reg-1").isEmpty());
  }

  @Test
  void aSecondWorkerWithTheSameIdIsRefusedWhileTheFirstIsAlive() {
    Worker<String> first = Worker.create(client, queue.name(), ctx -> "x", fx.options("same").build());
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Worker.create(client, queue.name(), ctx -> "x", fx.options("same").build()));
      assertTrue(e.getMessage().contains("'same'"), e.getMessage());
    } finally {
      first.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void aLostLockIsRecordedInTheStuckHistory() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      started.countDown();
      release.await(10, TimeUnit.SECONDS);
      return "late";
    }, fx.options("lock-1").lockDuration(Duration.ofMillis(800)).lockRenewTime(Duration.ofMillis(200))
        .skipStalledCheck(true).build());
    try {
      String id = queue.add("slow", Map.of());
      assertTrue(started.await(10, TimeUnit.SECONDS));
      client.redisson().getBucket(queue.keys().lock(id)).delete(); // someone else's stalled check took it
      StuckEvent e = Await.until(RegistryFixture.WAIT, () -> fx.stuck.recent(1, 10).stream().findFirst().orElse(null),
          "a stuck event");
      assertEquals(StuckReason.LOCK_LOST, e.reason());
      assertEquals(id, e.jobId());
      assertEquals("slow", e.jobName());
      assertEquals("lock-1", e.workerId());
      assertEquals(1, fx.stuck.forJobName(queue.name(), "slow", 1).orElseThrow().count());
    } finally {
      release.countDown();
      worker.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void aProcessorReportsItsOwnTimeoutThroughItsContext() {
    Worker<String> worker = Worker.create(client, queue.name(), ctx -> {
      ctx.reportStuck(StuckReason.TIMEOUT, "ran past 30 s");
      return "x";
    }, fx.options("timeout-1").build());
    try {
      queue.add("pdf", Map.of());
      StuckEvent e = Await.until(RegistryFixture.WAIT, () -> fx.stuck.recent(1, 10).stream().findFirst().orElse(null),
          "a stuck event");
      assertEquals(StuckReason.TIMEOUT, e.reason());
      assertEquals("ran past 30 s", e.detail());
      assertEquals("timeout-1", e.workerId());
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
  }
}
