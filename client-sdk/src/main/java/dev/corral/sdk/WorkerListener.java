package dev.corral.sdk;

import dev.corral.broker.Job;

/**
 * Worker events for the host application. Methods run on the worker's threads: keep them short and do not
 * throw (an exception is reported to {@link #error} and otherwise ignored).
 */
public interface WorkerListener {

  /** A job was taken and its processor is about to run. */
  default void active(Job job) {}

  /** A job completed with {@code result}. */
  default void completed(Job job, Object result) {}

  /**
   * An attempt failed. {@code willRetry} tells whether another attempt is scheduled.
   */
  default void failed(Job job, Throwable error, boolean willRetry) {}

  /** A processor reported progress. */
  default void progress(Job job, Object progress) {}

  /** This worker's stalled check moved a job back to wait. */
  default void stalled(String jobId) {}

  /** The queue had no more jobs for this worker. */
  default void drained() {}

  /** Something went wrong outside a processor (Redis unreachable, lock lost, a listener threw). */
  default void error(Throwable error) {}
}
