package dev.corral.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import java.util.Map;

/**
 * What a processor gets for one attempt: the job, its lock token, progress and log writers, what a flow
 * parent's children or a DAG node's dependencies left for it, and a cancellation signal (set when the lock
 * was lost, the worker is force-closing, or a DAG node's execution failed or was cancelled).
 *
 * <p>Thread-safe.
 */
public interface JobContext {

  /** The job as it was when this attempt started. */
  Job job();

  /** The name of the job's queue. */
  String queueName();

  /** The lock token of this attempt. */
  String token();

  /** Stores progress (a number or any JSON-serialisable value) and emits {@code progress}. */
  void updateProgress(Object progress);

  /** Appends a line to the job's log (trimmed to its keepLogs). */
  void log(String line);

  /**
   * For a flow parent: its completed children's return values by child key ({@code "<prefix>:<queue>:<id>"}),
   * as BullMQ's {@code job.getChildrenValues()}; empty for a job without children.
   */
  Map<String, JsonNode> childrenValues();

  /**
   * For a flow parent: the failed reasons of children whose failure it ignores (ignoreDependencyOnFailure,
   * continueParentOnFailure) by child key, as BullMQ's {@code job.getIgnoredChildrenFailures()}.
   */
  Map<String, String> ignoredChildrenFailures();

  /**
   * For a DAG node: the return values of its completed dependencies, by dependency <b>node id</b>. Empty for a
   * job that is not a DAG node (and for a root). Read from Redis on the first call (one script call, shared
   * with {@link #dependencyFailures()}), then kept: a node runs only once its dependencies are finished, so
   * they do not change.
   */
  Map<String, JsonNode> dependencyResults();

  /**
   * For a DAG node: the failed reasons of the dependencies that failed under policy {@code continue}, by
   * dependency node id. Empty for a job that is not a DAG node. Read with {@link #dependencyResults()}.
   */
  Map<String, String> dependencyFailures();

  /**
   * True once this attempt should stop: the lock was lost, the worker is closing with force, or (for a DAG
   * node) its execution failed or was cancelled. The execution status is checked when the attempt starts and
   * at every lock renewal ({@code WorkerOptions.lockRenewTime() / 2}, a quarter of the lock duration by
   * default), so the signal arrives within that period. A DAG node told to stop still owns its lock: what it
   * returns or throws is recorded as usual.
   */
  boolean isCancelled();

  /**
   * Records this job in the worker registry's stuck history, e.g. {@code TIMEOUT} when a processor that
   * enforces its own timeout (the process pool) stopped it. A no-op when the worker does not take part in the
   * registry; never throws.
   */
  default void reportStuck(dev.corral.broker.workers.StuckReason reason, String detail) {}

  /**
   * Moves this job to waiting-children while any child added to it (with {@code JobOptions.Builder.parent}) is
   * still pending, as BullMQ's {@code job.moveToWaitingChildren(token)}; the lock is released. Then throw
   * {@link WaitingChildrenException}: the job runs again once its last child finished.
   *
   * @return true when the job was moved; false when no child is pending (the attempt goes on)
   * @throws dev.corral.broker.BrokerException when a child failed for good (-9) or the lock was lost
   */
  default boolean moveToWaitingChildren() {
    throw new UnsupportedOperationException("moveToWaitingChildren is not available in this context");
  }

  /**
   * As {@link #moveToWaitingChildren()}, waiting only while the child {@code childJobId} of queue
   * {@code childQueue} (under this worker's prefix) is pending.
   */
  default boolean moveToWaitingChildren(String childQueue, String childJobId) {
    throw new UnsupportedOperationException("moveToWaitingChildren is not available in this context");
  }

  /** Throws {@link java.util.concurrent.CancellationException} when {@link #isCancelled()}. */
  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new java.util.concurrent.CancellationException("job " + job().id() + " was cancelled");
    }
  }
}
