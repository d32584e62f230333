package dev.corral.sdk.internal;

/**
 * A job this worker holds: its lock token and whether the attempt should stop. Thread-safe.
 */
public final class ActiveJob {

  private final String jobId;
  private final String token;
  private volatile boolean lockLost;
  private volatile boolean cancelled;
  private volatile boolean executionStopped;

  /** Tracks {@code jobId} held with {@code token}. */
  public ActiveJob(String jobId, String token) {
    this.jobId = jobId;
    this.token = token;
  }

  public String jobId() {
    return jobId;
  }

  public String token() {
    return token;
  }

  /** The lock could not be extended: another worker may own the job now. */
  public void markLockLost() {
    lockLost = true;
    cancelled = true;
  }

  /** The worker is closing with force. */
  public void cancel() {
    cancelled = true;
  }

  /**
   * The job is a DAG node whose execution failed or was cancelled: the processor should stop, but the lock
   * is still ours, so whatever the attempt ends with is recorded as usual.
   */
  public void markExecutionStopped() {
    executionStopped = true;
    cancelled = true;
  }

  /** Whether {@link #markExecutionStopped()} was called. */
  public boolean executionStopped() {
    return executionStopped;
  }

  public boolean lockLost() {
    return lockLost;
  }

  public boolean cancelled() {
    return cancelled;
  }
}
