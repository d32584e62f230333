package dev.corral.sdk.pool;

import dev.corral.sdk.UnrecoverableJobException;

/** A child's {@code error} message with {@code "unrecoverable":true}: fails the job without retries. */
final class ChildUnrecoverableException extends UnrecoverableJobException {

  private static final long serialVersionUID = 1L;

  private final String childStack;

  ChildUnrecoverableException(String message, String childStack) {
    super(message);
    this.childStack = childStack;
    if (childStack != null) {
      setStackTrace(new StackTraceElement[0]);
    }
  }

  /** The child's stack trace when it sent one (stored as the attempt's stack trace). */
  @Override
  public String toString() {
    return childStack != null ? childStack : super.toString();
  }
}
