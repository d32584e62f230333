package dev.corral.sdk.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.MutableClock;
import dev.corral.sdk.pool.PoolPolicy.Acquire;
import dev.corral.sdk.pool.PoolPolicy.Phase;
import dev.corral.sdk.pool.PoolPolicy.View;
import dev.corral.sdk.pool.PoolPolicy.WatchKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolPolicyTest {

  private final MutableClock clock = new MutableClock(1_000_000);

  private PoolPolicy policy(ProcessPoolOptions.Builder b) {
    return new PoolPolicy(b.build(), clock);
  }

  private static ProcessPoolOptions.Builder options() {
    return ProcessPoolOptions.builder("node", "x.js").minProcesses(1).maxProcesses(3)
        .idleTimeout(Duration.ofSeconds(10));
  }

  private static View idle(String id, long since) {
    return new View(id, Phase.IDLE, 0, 10, since, false);
  }

  private static View busy(String id) {
    return new View(id, Phase.BUSY, 0, 10, 0, false);
  }

  @Test
  void aJobTakesTheMostRecentlyIdleProcessSoOthersCanShrink() {
    PoolPolicy p = policy(options());
    assertEquals(new Acquire.Use("b"), p.acquire(List.of(idle("a", 100), idle("b", 300), idle("c", 200))));
  }

  @Test
  void aProcessWaitingToRecycleIsNotGivenAJob() {
    PoolPolicy p = policy(options());
    View recycling = new View("a", Phase.IDLE, 0, 10, 500, true);
    assertEquals(new Acquire.Use("b"), p.acquire(List.of(recycling, idle("b", 100))));
  }

  @Test
  void withoutAnIdleProcessANewOneStartsBelowTheMaximumElseTheJobWaits() {
    PoolPolicy p = policy(options());
    assertEquals(new Acquire.Start(), p.acquire(List.of()));
    assertEquals(new Acquire.Start(), p.acquire(List.of(busy("a"), busy("b"),
        new View("k", Phase.KILLED, 3, 0, 0, false))));
    assertEquals(new Acquire.Wait(), p.acquire(List.of(busy("a"), busy("b"),
        new View("s", Phase.STARTING, 0, 0, 0, false))));
  }

  @Test
  void aProcessIsRecycledAfterMaxJobsOrAboveTheMemoryLimit() {
    PoolPolicy p = policy(options().maxJobsPerProcess(3).maxMemoryMb(100));
    assertNull(p.recycleAfterJob(2, 100));
    assertEquals("it ran 3 jobs (maxJobsPerProcess 3)", p.recycleAfterJob(3, 10));
    assertEquals("its resident memory 101 MiB is above maxMemoryMb 100", p.recycleAfterJob(1, 101));
    PoolPolicy unlimited = policy(options());
    assertNull(unlimited.recycleAfterJob(1_000_000, 1_000_000));
  }

  @Test
  void idleProcessesAboveTheMinimumAreStoppedOldestFirstOnceIdleTimeoutPassed() {
    PoolPolicy p = policy(options().maxProcesses(4));
    long now = clock.millis();
    List<View> views = List.of(idle("young", now - 5_000), idle("old", now - 30_000), idle("older", now - 40_000),
        busy("b"));
    PoolPolicy.Tick tick = p.tick(views, 0, 0);
    assertEquals(List.of("older", "old"), tick.retire().stream().map(PoolPolicy.Retire::processId).toList());
    assertTrue(tick.retire().stream().noneMatch(PoolPolicy.Retire::replace));
    assertTrue(tick.retire().get(0).reason().contains("idleTimeout 10000 ms"), tick.retire().get(0).reason());
    assertEquals(0, tick.start());
  }

  @Test
  void shrinkingStopsAtTheMinimum() {
    PoolPolicy p = policy(options().minProcesses(2));
    long old = clock.millis() - 60_000;
    PoolPolicy.Tick tick = p.tick(List.of(idle("a", old), idle("b", old - 1), idle("c", old - 2)), 0, 0);
    assertEquals(List.of("c"), tick.retire().stream().map(PoolPolicy.Retire::processId).toList());
  }

  @Test
  void idleProcessesOverTheMemoryLimitAreReplaced() {
    PoolPolicy p = policy(options().maxMemoryMb(50));
    View fat = new View("fat", Phase.IDLE, 1, 80, clock.millis(), false);
    View busyFat = new View("busyFat", Phase.BUSY, 1, 80, 0, false);
    PoolPolicy.Tick tick = p.tick(List.of(fat, busyFat), 0, 0);
    assertEquals(List.of(new PoolPolicy.Retire("fat", "its resident memory 80 MiB is above maxMemoryMb 50", true)),
        tick.retire());
  }

  @Test
  void theMinimumIsRestoredUnlessARecentStartFailed() {
    PoolPolicy p = policy(options().minProcesses(3));
    assertEquals(3, p.tick(List.of(), 0, 0).start());
    assertEquals(2, p.tick(List.of(busy("a")), 0, 0).start());
    long now = clock.millis();
    assertEquals(0, p.tick(List.of(), 1, now - 100).start(), "200 ms backoff after one failure");
    assertEquals(3, p.tick(List.of(), 1, now - 200).start());
    assertEquals(0, p.tick(List.of(), 3, now - 500).start(), "800 ms after three");
  }

  @Test
  void startBackoffDoublesUpToTenSeconds() {
    assertEquals(0, PoolPolicy.startBackoffMs(0));
    assertEquals(200, PoolPolicy.startBackoffMs(1));
    assertEquals(400, PoolPolicy.startBackoffMs(2));
    assertEquals(10_000, PoolPolicy.startBackoffMs(10));
    assertEquals(10_000, PoolPolicy.startBackoffMs(Integer.MAX_VALUE));
  }

  @Test
  void aJobWaitsInSlicesUntilCancelledTimedOutOrPastItsRecycleDeadline() {
    PoolPolicy p = policy(options());
    long now = clock.millis();
    assertEquals(new PoolPolicy.Watch(WatchKind.WAIT, PoolPolicy.CANCEL_POLL_MS),
        p.watch(Long.MAX_VALUE, Long.MAX_VALUE, false));
    assertEquals(new PoolPolicy.Watch(WatchKind.WAIT, 30), p.watch(now + 30, Long.MAX_VALUE, false));
    assertEquals(WatchKind.CANCELLED, p.watch(now - 1, now - 1, true).kind());
    clock.advance(30);
    assertEquals(WatchKind.TIMED_OUT, p.watch(now + 30, Long.MAX_VALUE, false).kind());
    assertEquals(WatchKind.RECYCLE_DEADLINE, p.watch(Long.MAX_VALUE, now + 10, false).kind());
    assertEquals(WatchKind.RECYCLE_DEADLINE, p.watch(now + 20, now + 10, false).kind(), "the earlier deadline wins");
    assertEquals(WatchKind.TIMED_OUT, p.watch(now + 5, now + 10, false).kind());
  }
}
