package dev.corral.sdk;

import dev.corral.broker.Job;
import dev.corral.broker.workers.StuckReason;

/**
 * Records a stuck job in the worker registry's stuck history (docs/workers.md). The worker records stalled
 * recoveries and lost locks itself; a processor that enforces its own timeouts (the process pool) reports
 * them here, through {@link JobContext#reportStuck} or {@link Worker#stuckRecorder()}. Never throws: a
 * failure to record is reported to the worker's error listeners.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface StuckRecorder {

  /** Records that {@code job}, run by this worker, was stuck for {@code reason}. */
  void record(Job job, StuckReason reason, String detail);
}
