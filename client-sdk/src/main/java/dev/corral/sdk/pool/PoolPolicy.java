package dev.corral.sdk.pool;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every decision of a process pool, apart from its I/O: which process takes a job, when to start one, when a
 * process is replaced (job count, memory) or stopped (idle above the minimum), how long a job's thread waits
 * and which deadline ends a job. Works on snapshots ({@link View}); time from an injectable {@link Clock}.
 * Pure; thread-safe.
 */
final class PoolPolicy {

  /** Longest a job's thread waits for output before it looks at its cancellation signal again. */
  static final long CANCEL_POLL_MS = 100;
  /** First delay after a failed background start; doubles per consecutive failure. */
  static final long START_BACKOFF_BASE_MS = 200;
  /** Longest delay between background start attempts. */
  static final long START_BACKOFF_MAX_MS = 10_000;

  /** Where a process is in its life. */
  enum Phase {
    /** Started, its ready line not read yet (not reported; cannot take jobs). */
    STARTING,
    /** Ready, waiting for a job. */
    IDLE,
    /** Running a job. */
    BUSY,
    /** Killed or being stopped, and not yet exited. */
    KILLED
  }

  /**
   * A process as the policy sees it.
   *
   * @param processId the pool's id of the process
   * @param phase its phase
   * @param jobsCompleted jobs it has finished
   * @param memoryMb its last sampled resident memory (MiB, 0 when unknown)
   * @param idleSinceMs when it became idle (ms since the epoch); meaningful when idle
   * @param recycleRequested whether a recycle waits for its job to end
   */
  record View(String processId, Phase phase, long jobsCompleted, long memoryMb, long idleSinceMs,
      boolean recycleRequested) {

    boolean live() {
      return phase != Phase.KILLED;
    }
  }

  /** What a job arriving now gets. */
  sealed interface Acquire {
    /** Use this idle process. */
    record Use(String processId) implements Acquire {}

    /** Start a new process for it. */
    record Start() implements Acquire {}

    /** Wait: every process is busy or starting and the pool is at its maximum. */
    record Wait() implements Acquire {}
  }

  /** Stop process {@code processId} for {@code reason}, starting a new one in its place when {@code replace}. */
  record Retire(String processId, String reason, boolean replace) {}

  /** What periodic maintenance does: processes to retire, then how many to start. */
  record Tick(List<Retire> retire, int start) {}

  /** What a job's thread does next. */
  enum WatchKind {
    /** Wait for output, at most {@link Watch#waitMs()}. */
    WAIT,
    /** The job's attempt was cancelled. */
    CANCELLED,
    /** The job ran past jobTimeout. */
    TIMED_OUT,
    /** The process was asked to recycle and its deadline passed. */
    RECYCLE_DEADLINE
  }

  /** A {@link WatchKind} and, for {@code WAIT}, how long. */
  record Watch(WatchKind kind, long waitMs) {}

  private final ProcessPoolOptions options;
  private final Clock clock;

  PoolPolicy(ProcessPoolOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  /** Now, in ms since the epoch. */
  long now() {
    return clock.millis();
  }

  /**
   * The process for a job arriving now: the idle one that became idle <b>last</b> (so the others stay idle
   * long enough to be shrunk), else a new one while below the maximum, else wait.
   */
  Acquire acquire(List<View> views) {
    View best = null;
    for (View v : views) {
      if (v.phase() == Phase.IDLE && !v.recycleRequested() && (best == null || v.idleSinceMs() > best.idleSinceMs())) {
        best = v;
      }
    }
    if (best != null) {
      return new Acquire.Use(best.processId());
    }
    return live(views) < options.maxProcesses() ? new Acquire.Start() : new Acquire.Wait();
  }

  /** Why a process that just finished a job must be replaced (job count or memory), or null to keep it. */
  String recycleAfterJob(long jobsCompleted, long memoryMb) {
    if (options.maxJobsPerProcess() > 0 && jobsCompleted >= options.maxJobsPerProcess()) {
      return "it ran " + jobsCompleted + " jobs (maxJobsPerProcess " + options.maxJobsPerProcess() + ")";
    }
    return overMemory(memoryMb);
  }

  private String overMemory(long memoryMb) {
    if (options.maxMemoryMb() > 0 && memoryMb > options.maxMemoryMb()) {
      return "its resident memory " + memoryMb + " MiB is above maxMemoryMb " + options.maxMemoryMb();
    }
    return null;
  }

  /**
   * Periodic maintenance: replace idle processes over the memory limit; stop processes idle for at least
   * idleTimeout, the longest idle first, while more than minProcesses are live; start processes up to
   * minProcesses unless a recent start failure asks to wait ({@link #startBackoffMs(int)}).
   *
   * @param consecutiveStartFailures background starts that failed in a row
   * @param lastStartFailureMs when the last of them failed
   */
  Tick tick(List<View> views, int consecutiveStartFailures, long lastStartFailureMs) {
    long now = now();
    List<Retire> retire = new ArrayList<>();
    List<View> idle = new ArrayList<>();
    for (View v : views) {
      if (v.phase() != Phase.IDLE) {
        continue;
      }
      String memory = overMemory(v.memoryMb());
      if (memory != null) {
        retire.add(new Retire(v.processId(), memory, true));
      } else {
        idle.add(v);
      }
    }
    int live = live(views);
    idle.sort(Comparator.comparingLong(View::idleSinceMs));
    for (View v : idle) {
      if (live <= options.minProcesses() || now - v.idleSinceMs() < options.idleTimeout().toMillis()) {
        break;
      }
      retire.add(new Retire(v.processId(), "it was idle for " + (now - v.idleSinceMs()) + " ms (idleTimeout "
          + options.idleTimeout().toMillis() + " ms)", false));
      live--;
    }
    int start = Math.max(0, options.minProcesses() - live);
    if (start > 0 && consecutiveStartFailures > 0
        && now < lastStartFailureMs + startBackoffMs(consecutiveStartFailures)) {
      start = 0;
    }
    return new Tick(List.copyOf(retire), start);
  }

  /** The wait after {@code failures} consecutive failed background starts: 200 ms doubling, at most 10 s. */
  static long startBackoffMs(int failures) {
    if (failures <= 0) {
      return 0;
    }
    int shift = Math.min(failures - 1, 20);
    return Math.min(START_BACKOFF_MAX_MS, START_BACKOFF_BASE_MS << shift);
  }

  /**
   * What a job's thread does now: stop for cancellation first, then for whichever deadline passed first, else
   * wait until the nearer deadline, at most {@link #CANCEL_POLL_MS}.
   *
   * @param timeoutAtMs when the job times out ({@code Long.MAX_VALUE}: never)
   * @param recycleDeadlineAtMs when a requested recycle kills the process ({@code Long.MAX_VALUE}: none)
   */
  Watch watch(long timeoutAtMs, long recycleDeadlineAtMs, boolean cancelled) {
    if (cancelled) {
      return new Watch(WatchKind.CANCELLED, 0);
    }
    long now = now();
    boolean timedOut = now >= timeoutAtMs;
    boolean recycled = now >= recycleDeadlineAtMs;
    if (timedOut && (!recycled || timeoutAtMs <= recycleDeadlineAtMs)) {
      return new Watch(WatchKind.TIMED_OUT, 0);
    }
    if (recycled) {
      return new Watch(WatchKind.RECYCLE_DEADLINE, 0);
    }
    long nearest = Math.min(timeoutAtMs, recycleDeadlineAtMs);
    return new Watch(WatchKind.WAIT, Math.max(1, Math.min(CANCEL_POLL_MS, nearest - now)));
  }

  /** Processes that are starting, idle or busy. */
  static int live(List<View> views) {
    int n = 0;
    for (View v : views) {
      if (v.live()) {
        n++;
      }
    }
    return n;
  }
}
