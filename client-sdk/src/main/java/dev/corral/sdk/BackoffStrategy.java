package dev.corral.sdk;

import dev.corral.broker.Job;

/**
 * Computes the delay before retrying a job whose {@code opts.backoff.type} is not {@code fixed} or
 * {@code exponential} (BullMQ's {@code settings.backoffStrategy}).
 */
@FunctionalInterface
public interface BackoffStrategy {

  /**
   * @param attemptsMade attempts made including the one that just failed
   * @param type the custom backoff type
   * @param delay the backoff's base delay (ms)
   * @param error what the processor threw
   * @param job the job
   * @return the delay in ms, 0 to retry at once, or -1 not to retry
   */
  long delayFor(int attemptsMade, String type, long delay, Throwable error, Job job);
}
