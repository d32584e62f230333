package dev.corral.sdk;

/**
 * Processes one job. Runs on a virtual thread; may block. Return the job's result (serialised to JSON with
 * Jackson; {@code null} is stored as JSON null), or throw to fail the attempt:
 * {@link UnrecoverableJobException} skips the remaining attempts, {@link DelayJobException} puts the job
 * back as delayed without counting an attempt, {@link RateLimitJobException} rate-limits the queue and puts
 * the job back in front; any other exception fails the attempt and BullMQ's retry rules apply.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Processor<R> {

  /** Processes the job of {@code context}. */
  R process(JobContext context) throws Exception;
}
