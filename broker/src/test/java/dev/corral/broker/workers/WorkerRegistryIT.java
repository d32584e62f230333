package dev.corral.broker.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

class WorkerRegistryIT {

  private static final long T0 = 1_800_000_000_000L;
  private static MutableClock clock;
  private static BrokerClient client;
  private static RedisProbe probe;
  private WorkerRegistry registry;

  @BeforeAll
  static void connect() {
    clock = new MutableClock(T0);
    client = RedisTestSupport.newClient(clock);
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @BeforeEach
  void freshPrefix() {
    clock.set(T0);
    registry = new WorkerRegistry(client, "reg-" + UUID.randomUUID().toString().substring(0, 8),
        RegistrySettings.defaults().withSweepThrottle(java.time.Duration.ZERO));
  }

  static WorkerRegistration registration(String id, long intervalMs) {
    return new WorkerRegistration(id, "host-a", 4242, T0, "corral:test", List.of("emails"), List.of("gpu"),
        Map.of("zone", "eu-1"), 4, 0, 0, Map.of("build", "17"), intervalMs, 6);
  }

  static Heartbeat heartbeat(String id, long seq, List<ActiveJobInfo> jobs) {
    WorkerInfo info = new WorkerInfo(id, T0, "host-a", 4, 4, 4, 4 - jobs.size(), jobs.size(), List.of());
    return new Heartbeat(id, clock.millis(), seq, WorkerRunState.RUNNING, jobs.size() / 4.0, info, jobs, seq, 0, 0);
  }

  @Test
  void aRegisteredWorkerIsListedWithWhatItRegisteredAndItsHeartbeats() {
    WorkerRegistration reg = registration("w-1", 1000);
    registry.register(reg);
    WorkerStatus before = registry.get("w-1").orElseThrow();
    assertEquals(reg, before.registration());
    assertNull(before.heartbeat());
    assertEquals(Liveness.HEALTHY, before.liveness());

    clock.advance(1000);
    ActiveJobInfo job = new ActiveJobInfo("emails", "7", "send", "exec-1", "wf-1", T0 + 500);
    assertEquals(0, registry.heartbeat(reg, heartbeat("w-1", 1, List.of(job))));
    WorkerStatus after = registry.get("w-1").orElseThrow();
    assertEquals(List.of(job), after.heartbeat().jobs());
    assertEquals(1, after.heartbeats());
    assertEquals(T0 + 1000, after.lastHeartbeatAt());
    assertEquals("w-1", probe.hash(registry.keys().owners()).get("emails:7"));
    assertEquals(T0 + 1000, probe.zscore(registry.keys().index(), "w-1").longValue());
    assertEquals(T0 + 1000 + 6 * 1000, probe.zscore(registry.keys().deadlines(), "w-1").longValue());

    // a job that is no longer reported leaves the worker's jobs and the owners hash
    clock.advance(1000);
    registry.heartbeat(reg, heartbeat("w-1", 2, List.of()));
    assertTrue(probe.hash(registry.keys().owners()).isEmpty());
    assertTrue(probe.hash(registry.keys().jobs("w-1")).isEmpty());
  }

  @Test
  void aSecondLiveWorkerCannotTakeAnIdButADeadOnesIdCanBeTakenOver() {
    registry.register(registration("dup", 1000));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> registry.register(registration("dup", 1000)));
    assertTrue(e.getMessage().contains("dup"), e.getMessage());
    clock.advance(6000);
    registry.register(registration("dup", 1000));
    assertEquals(Liveness.HEALTHY, registry.get("dup").orElseThrow().liveness());
  }

  @Test
  void livenessFollowsMissedHeartbeatsAndTheSweepRemovesDeadWorkersRecordingTheirJobs() {
    WorkerRegistration reg = registration("w-dead", 1000);
    registry.register(reg);
    ActiveJobInfo job = new ActiveJobInfo("emails", "9", "send", null, null, T0);
    registry.heartbeat(reg, heartbeat("w-dead", 1, List.of(job)));
    clock.advance(1999);
    assertEquals(Liveness.HEALTHY, registry.get("w-dead").orElseThrow().liveness());
    clock.advance(1);
    WorkerStatus unhealthy = registry.get("w-dead").orElseThrow();
    assertEquals(Liveness.UNHEALTHY, unhealthy.liveness());
    assertEquals(2, unhealthy.missedHeartbeats());
    assertTrue(registry.sweepDead().isEmpty());
    clock.advance(4000);
    assertEquals(Liveness.DEAD, registry.get("w-dead").orElseThrow().liveness());

    List<DeadWorker> swept = registry.sweepDead();
    assertEquals(List.of(new DeadWorker("w-dead", List.of(job))), swept);
    assertTrue(registry.get("w-dead").isEmpty());
    assertTrue(registry.list().isEmpty());
    // a heartbeat of a swept worker tells it to register again
    assertEquals(-1, registry.heartbeat(reg, heartbeat("w-dead", 2, List.of())));

    StuckHistory history = new StuckHistory(client, registry);
    StuckEvent e = history.recent(1, 10).get(0);
    assertEquals(StuckReason.DEAD_WORKER, e.reason());
    assertEquals("w-dead", e.workerId());
    assertEquals("9", e.jobId());
    // the stalled recovery that follows still names the dead worker
    history.record(List.of(new StuckEvent("emails", "9", "send", null, null, null, StuckReason.STALLED, "", 0)));
    assertEquals("w-dead", history.recent(1, 10).get(0).workerId());
    StuckSummary s = history.forJobName("emails", "send", 1).orElseThrow();
    assertEquals(2, s.count());
    assertEquals(Map.of(StuckReason.DEAD_WORKER, 1L, StuckReason.STALLED, 1L), s.reasons());
  }

  @Test
  void aStalledJobTakenAgainBeforeItsEventIsRecordedIsStillAttributedToTheWorkerItWasStuckOn() {
    WorkerRegistration dead = registration("w-gone", 1000);
    registry.register(dead);
    registry.heartbeat(dead, heartbeat("w-gone", 1, List.of(new ActiveJobInfo("emails", "5", "send", null, null, T0))));
    clock.advance(6000);
    assertEquals(1, registry.sweepDead().size()); // w-gone's job ref is now an orphan of w-gone
    long checkStartedAt = clock.millis();
    clock.advance(20);
    // the stalled check moved the job back to wait; a live worker took it and heartbeat before the event was saved
    WorkerRegistration taker = registration("w-taker", 1000);
    registry.register(taker);
    registry.heartbeat(taker,
        heartbeat("w-taker", 1, List.of(new ActiveJobInfo("emails", "5", "send", null, null, clock.millis()))));
    clock.advance(5);
    StuckHistory history = new StuckHistory(client, registry);
    history.record(List.of(new StuckEvent("emails", "5", "send", null, null, null, StuckReason.STALLED, "",
        checkStartedAt)));
    StuckEvent e = history.recent(1, 10).get(0);
    assertEquals("w-gone", e.workerId(), "not the worker that took the job after the check");
    assertEquals(checkStartedAt, e.at());

    // a job its live owner took before the event happened is that owner's
    registry.heartbeat(taker,
        heartbeat("w-taker", 2, List.of(new ActiveJobInfo("emails", "6", "send", null, null, clock.millis()))));
    clock.advance(5);
    history.record(List.of(new StuckEvent("emails", "6", "send", null, null, null, StuckReason.STALLED, "",
        clock.millis())));
    assertEquals("w-taker", history.recent(1, 10).get(0).workerId());
  }

  @Test
  void aStalledJobTakenOverBeforeItsOldOwnerIsSweptIsAttributedToTheOldOwner() {
    WorkerRegistration stuck = registration("w-stuck", 1000);
    registry.register(stuck);
    registry.heartbeat(stuck, heartbeat("w-stuck", 1, List.of(new ActiveJobInfo("emails", "7", "send", null, null, T0))));
    clock.advance(2500); // missed two heartbeats: not dead yet, so not swept and its ref is no orphan
    long checkStartedAt = clock.millis();
    clock.advance(20);
    WorkerRegistration taker = registration("w-taker", 1000);
    registry.register(taker);
    registry.heartbeat(taker,
        heartbeat("w-taker", 1, List.of(new ActiveJobInfo("emails", "7", "send", null, null, clock.millis()))));
    assertEquals(Map.of("emails:7", "w-taker"), probe.hash(registry.keys().owners()));
    assertEquals(Map.of("emails:7", "w-stuck"), probe.hash(registry.keys().handoffs()));
    clock.advance(5);
    StuckHistory history = new StuckHistory(client, registry);
    history.record(List.of(new StuckEvent("emails", "7", "send", null, null, null, StuckReason.STALLED, "",
        checkStartedAt)));
    assertEquals("w-stuck", history.recent(1, 10).get(0).workerId(), "the worker it was stuck on, not its taker");

    // the taker finishes the job: the ref leaves owners and its handoff with it
    registry.heartbeat(taker, heartbeat("w-taker", 2, List.of()));
    assertTrue(probe.hash(registry.keys().owners()).isEmpty());
    assertTrue(probe.hash(registry.keys().handoffs()).isEmpty());
  }

  @Test
  void deregisterRemovesEveryKeyButTheAuditAndAuditsPendingCommandsAsUndelivered() {
    WorkerRegistration reg = registration("w-bye", 1000);
    registry.register(reg);
    registry.heartbeat(reg, heartbeat("w-bye", 1, List.of(new ActiveJobInfo("emails", "1", "n", null, null, T0))));
    WorkerCommands commands = new WorkerCommands(client, registry);
    String id = commands.send("w-bye", CommandType.PAUSE, "ops", "test");
    assertTrue(registry.deregister("w-bye"));
    assertFalse(registry.deregister("w-bye"));
    assertTrue(registry.list().isEmpty());
    assertTrue(probe.hash(registry.keys().owners()).isEmpty());
    assertTrue(probe.hash(registry.keys().handoffs()).isEmpty());
    assertTrue(probe.hash(registry.keys().worker("w-bye")).isEmpty());
    CommandAudit audit = commands.audit("w-bye", 10).get(0);
    assertEquals(id, audit.command().id());
    assertEquals(CommandOutcome.UNDELIVERED, audit.outcome());
    assertTrue(probe.pttl(registry.keys().audit("w-bye")) > 0);
    assertThrows(IllegalStateException.class, () -> commands.send("w-bye", CommandType.PAUSE, "ops", "late"));
  }

  @Test
  void heartbeatsArePublishedAndListingIsOrderedByLastHeartbeat() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    RTopic topic = client.redisson().getTopic(registry.keys().heartbeatChannel(), StringCodec.INSTANCE);
    int listener = topic.addListener(String.class, (ch, msg) -> received.add(msg));
    try {
      WorkerRegistration a = registration("a", 1000);
      WorkerRegistration b = registration("b", 1000);
      registry.register(a);
      registry.register(b);
      clock.advance(10);
      registry.heartbeat(b, heartbeat("b", 1, List.of()));
      clock.advance(10);
      registry.heartbeat(a, heartbeat("a", 1, List.of()));
      assertEquals(List.of("a", "b"), registry.list().stream().map(WorkerStatus::workerId).toList());
      assertEquals(List.of("b"), registry.list(1, 5).stream().map(WorkerStatus::workerId).toList());
      dev.corral.broker.testing.Await.until(java.time.Duration.ofSeconds(5), () -> received.size() == 2);
      Heartbeat first = WorkerJson.read(received.get(0), Heartbeat.class);
      assertEquals("b", first.workerId());
      assertTrue(received.get(0).contains("\"worker_id\":\"b\""), received.get(0));
      assertTrue(received.get(0).contains("\"busy_count\":0"), received.get(0));
    } finally {
      topic.removeListener(listener);
    }
  }

  @Test
  void invalidRegistrationsNameTheField() {
    IllegalArgumentException id = assertThrows(IllegalArgumentException.class, () -> registration("bad:id", 1000));
    assertTrue(id.getMessage().startsWith("workerId must match"), id.getMessage());
    IllegalArgumentException interval = assertThrows(IllegalArgumentException.class, () -> registration("ok", 10));
    assertTrue(interval.getMessage().startsWith("heartbeatIntervalMs"), interval.getMessage());
    IllegalArgumentException queue = assertThrows(IllegalArgumentException.class, () -> new WorkerRegistration("ok",
        "h", 1, 0, "v", List.of("a:b"), null, null, 1, 0, 0, null, 1000, 6));
    assertTrue(queue.getMessage().startsWith("queueName"), queue.getMessage());
  }
}
