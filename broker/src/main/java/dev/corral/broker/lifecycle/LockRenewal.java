package dev.corral.broker.lifecycle;

import java.util.List;

/**
 * What one {@link JobLifecycle#extendLocks} call found.
 *
 * @param lost ids whose lock could not be extended (expired, or taken by another worker): the job may belong
 *     to someone else now, so its outcome must not be written
 * @param executionStopped ids of DAG nodes whose lock was extended but whose execution is no longer running
 *     (failed, cancelled, or already ended): the processor should stop, and its outcome is still recorded
 */
public record LockRenewal(List<String> lost, List<String> executionStopped) {

  /** Nothing lost, nothing stopped. */
  public static final LockRenewal NONE = new LockRenewal(List.of(), List.of());

  /** Copies the lists. */
  public LockRenewal {
    lost = List.copyOf(lost);
    executionStopped = List.copyOf(executionStopped);
  }
}
