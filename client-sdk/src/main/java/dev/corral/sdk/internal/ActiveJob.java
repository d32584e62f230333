package dev.corral.sdk.internal;

import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.Job;

/**
 * A job this worker holds: its lock token, when the attempt started, and whether the attempt should stop.
 * Thread-safe.
 */
public final class ActiveJob {

  private final String jobId;
  private final String token;
  private final String name;
  private final String dagKey;
  private final long startedAt;
  private volatile boolean lockLost;
  private volatile boolean cancelled;
  private volatile boolean executionStopped;
  private volatile boolean movedToWaitingChildren;

  /** Tracks {@code jobId} held with {@code token}. */
  public ActiveJob(String jobId, String token) {
    this(jobId, token, "", null, 0);
  }

  /** Tracks {@code job} held with {@code token} since {@code startedAt} (ms). */
  public ActiveJob(Job job, String token, long startedAt) {
    this(job.id(), token, job.name(), job.raw().get("dagKey"), startedAt);
  }

  private ActiveJob(String jobId, String token, String name, String dagKey, long startedAt) {
    this.jobId = jobId;
    this.token = token;
    this.name = name == null ? "" : name;
    this.dagKey = dagKey;
    this.startedAt = startedAt;
  }

  public String jobId() {
    return jobId;
  }

  public String token() {
    return token;
  }

  /** The job name ("" when unknown). */
  public String name() {
    return name;
  }

  /** The DAG execution key {@code <p>:dag:<execId>} of a DAG node, else null. */
  public String dagKey() {
    return dagKey;
  }

  /** The DAG execution id of a DAG node, else null. */
  public String executionId() {
    return DagKeys.executionIdOf(dagKey);
  }

  /** When the attempt started (ms). */
  public long startedAt() {
    return startedAt;
  }

  /** The lock could not be extended: another worker may own the job now. */
  public void markLockLost() {
    lockLost = true;
    cancelled = true;
  }

  /**
   * The processor moved the job to waiting-children: it is no longer this worker's (no lock to renew, nothing to
   * finish).
   */
  public void markMovedToWaitingChildren() {
    movedToWaitingChildren = true;
  }

  /** Whether the processor moved the job to waiting-children. */
  public boolean movedToWaitingChildren() {
    return movedToWaitingChildren;
  }

  /** The worker is closing with force, or the slot is being recycled past its deadline. */
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
