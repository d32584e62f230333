package dev.corral.sdk;

/** Thrown by a processor to fail the job at once, skipping remaining attempts (BullMQ's UnrecoverableError). */
public class UnrecoverableJobException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure with {@code message} as the job's failedReason. */
  public UnrecoverableJobException(String message) {
    super(message);
  }

  /** A failure with {@code message} and a cause. */
  public UnrecoverableJobException(String message, Throwable cause) {
    super(message, cause);
  }
}
