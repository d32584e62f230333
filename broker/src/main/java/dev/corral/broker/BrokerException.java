package dev.corral.broker;

/**
 * A broker operation failed. When the failure came from one of our scripts, {@link #error()} tells which
 * BullMQ error code it returned; otherwise it is {@code null}.
 */
public class BrokerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ScriptError error;

  /** A failure without a script error code. */
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
    this.error = null;
  }

  /** A failure reported by a script with {@code error}. */
  public BrokerException(ScriptError error, String message) {
    super(message);
    this.error = error;
  }

  /** The script error, or {@code null}. */
  public ScriptError error() {
    return error;
  }
}
