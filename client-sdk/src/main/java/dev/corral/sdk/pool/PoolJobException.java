package dev.corral.sdk.pool;

/**
 * Why a job run in a pool process failed: the child reported an error, or the pool ended the attempt (timeout,
 * crash, protocol error, recycle deadline, a child that could not start, the pool closing). The message is the
 * job's failedReason and names the process and the cause. An ordinary failure: the job's retries apply. A
 * child's error marked {@code unrecoverable} is an {@link dev.corral.sdk.UnrecoverableJobException} instead.
 */
public class PoolJobException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What ended the attempt. */
  public enum Reason {
    /** The child answered with an {@code error} message. */
    CHILD_ERROR,
    /** The job ran longer than {@code jobTimeout}; the child was killed. */
    TIMEOUT,
    /** The child exited (or could not be written to) while running the job. */
    CRASHED,
    /** The child wrote something the protocol does not allow, or closed its stdout; it was killed. */
    PROTOCOL,
    /** The child was recycled and did not finish the job before the recycle's deadline; it was killed. */
    RECYCLED,
    /** No child could be started for the job. */
    START_FAILED,
    /** The pool was closed while the job ran or waited. */
    POOL_CLOSED
  }

  private final Reason reason;
  private final String childStack;

  /** A failure for {@code reason} with {@code message} as the failedReason. */
  public PoolJobException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** A failure whose stored stack trace is {@code childStack} (the child's own), when not null. */
  public PoolJobException(Reason reason, String message, String childStack) {
    super(message);
    this.reason = reason;
    this.childStack = childStack;
    if (childStack != null) {
      setStackTrace(new StackTraceElement[0]); // the child's stack is the one worth storing
    }
  }

  /** What ended the attempt. */
  public Reason reason() {
    return reason;
  }

  /** The stack trace the child sent with its error, or null. */
  public String childStack() {
    return childStack;
  }

  /** The child's stack trace when it sent one (stored as the attempt's stack trace), else the usual text. */
  @Override
  public String toString() {
    return childStack != null ? childStack : super.toString();
  }
}
