package dev.corral.api;

/**
 * The server could not start: Redis unreachable, the embedded Redis failed, or the port is taken. The message
 * is written for the operator and printed without a stack trace.
 */
public final class StartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A startup failure explained by {@code message}, caused by {@code cause}. */
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
