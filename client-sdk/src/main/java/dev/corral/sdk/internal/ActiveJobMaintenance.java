package dev.corral.sdk.internal;

import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.lifecycle.LockRenewal;
import dev.corral.broker.workers.StuckReason;
import dev.corral.sdk.WorkerOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's periodic upkeep of its active jobs, run on its maintenance thread: lock renewal (which also
 * carries the stop signal for DAG nodes of failed or cancelled executions) and the stalled-job check. Failures
 * are reported to the listeners and retried at the next run, never thrown.
 */
public final class ActiveJobMaintenance {

  private final JobLifecycle lifecycle;
  private final WorkerOptions options;
  private final Map<String, ActiveJob> active;
  private final Listeners listeners;
  private final StuckReporter stuck;
  private final Clock clock;

  /**
   * @param active the worker's active jobs by job id (read, not changed)
   * @param stuck where lock losses and stalled recoveries are recorded, or null without the registry
   */
  public ActiveJobMaintenance(JobLifecycle lifecycle, WorkerOptions options, Map<String, ActiveJob> active,
      Listeners listeners, StuckReporter stuck, Clock clock) {
    this.lifecycle = lifecycle;
    this.options = options;
    this.active = active;
    this.listeners = listeners;
    this.stuck = stuck;
    this.clock = clock;
  }

  /**
   * Extends the lock of every active job. A job whose lock is lost is marked so (its outcome will not be
   * stored by this worker) and recorded as stuck; a DAG node whose execution stopped gets its cancellation
   * signal and still finishes normally.
   */
  public void renewLocks() {
    if (active.isEmpty()) {
      return;
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    for (ActiveJob a : active.values()) {
      // a lost lock is reported (and recorded as stuck) once, not at every renewal; a job the processor moved to
      // waiting-children has no lock any more
      if (!a.lockLost() && !a.movedToWaitingChildren()) {
        tokens.put(a.jobId(), a.token());
      }
    }
    if (tokens.isEmpty()) {
      return;
    }
    try {
      LockRenewal renewal = lifecycle.extendLocks(tokens, options.lockDuration().toMillis());
      for (String lost : renewal.lost()) {
        ActiveJob a = sameAttempt(lost, tokens);
        if (a != null && !a.lockLost()) {
          a.markLockLost();
          listeners.error(new IllegalStateException("could not renew the lock of job " + lost));
          if (stuck != null) {
            stuck.record(a, StuckReason.LOCK_LOST, "the lock could not be renewed");
          }
        }
      }
      for (String stopped : renewal.executionStopped()) {
        ActiveJob a = sameAttempt(stopped, tokens);
        if (a != null) {
          a.markExecutionStopped(); // a DAG node of a failed / cancelled execution: tell it, keep its result
        }
      }
    } catch (RuntimeException e) {
      listeners.error(e);
    }
  }

  /** Moves this queue's stalled jobs back to wait (or fails them past maxStalledCount), as BullMQ workers do. */
  public void checkStalled() {
    try {
      long startedAt = clock.millis();
      List<String> recovered = lifecycle.recoverStalled(options.maxStalledCount(),
          options.stalledInterval().toMillis());
      for (String id : recovered) {
        listeners.stalled(id);
      }
      if (stuck != null) {
        stuck.recordRecovered(recovered, StuckReason.STALLED, "its lock expired while it was active", startedAt);
      }
    } catch (RuntimeException e) {
      listeners.error(e);
    }
  }

  /** The active job {@code jobId} if it is still the attempt whose token was sent. */
  private ActiveJob sameAttempt(String jobId, Map<String, String> tokens) {
    ActiveJob a = active.get(jobId);
    return a != null && a.token().equals(tokens.get(jobId)) ? a : null;
  }
}
