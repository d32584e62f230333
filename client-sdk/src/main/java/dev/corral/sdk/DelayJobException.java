package dev.corral.sdk;

/**
 * Thrown by a processor to put its job back as delayed for {@link #delayMs()} without counting an attempt
 * (BullMQ's moveToDelayed + DelayedError pattern in one step).
 */
public class DelayJobException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long delayMs;

  /**
   * Delays the job by {@code delayMs}.
   *
   * @throws IllegalArgumentException when delayMs is negative
   */
  public DelayJobException(long delayMs) {
    super("job delayed by " + delayMs + " ms");
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0, was " + delayMs);
    }
    this.delayMs = delayMs;
  }

  /** How long to delay the job. */
  public long delayMs() {
    return delayMs;
  }
}
