package dev.corral.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import java.util.Map;

/**
 * What a processor gets for one attempt: the job, its lock token, progress and log writers, and a
 * cancellation signal (set when the lock was lost or the worker is force-closing).
 *
 * <p>Thread-safe.
 */
public interface JobContext {

  /** The job as it was when this attempt started. */
  Job job();

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

  /** True once this attempt should stop: the lock was lost, or the worker is closing with force. */
  boolean isCancelled();

  /** Throws {@link java.util.concurrent.CancellationException} when {@link #isCancelled()}. */
  default void throwIfCancelled() {
    if (isCancelled()) {
      throw new java.util.concurrent.CancellationException("job " + job().id() + " was cancelled");
    }
  }
}
