package dev.corral.sdk;

/**
 * Thrown by a processor when an external service rate-limits it: the queue is rate-limited for
 * {@link #durationMs()} (for every worker, Java or Node) and the job goes back to the front of the queue
 * without counting an attempt (BullMQ's {@code worker.rateLimit(ms)} + RateLimitError).
 */
public class RateLimitJobException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long durationMs;

  /**
   * Rate-limits the queue for {@code durationMs}.
   *
   * @throws IllegalArgumentException when durationMs is below 1
   */
  public RateLimitJobException(long durationMs) {
    super("queue rate limited for " + durationMs + " ms");
    if (durationMs < 1) {
      throw new IllegalArgumentException("durationMs must be >= 1, was " + durationMs);
    }
    this.durationMs = durationMs;
  }

  /** How long the queue stays limited. */
  public long durationMs() {
    return durationMs;
  }
}
