package dev.corral.api.errors;

/** The request is malformed (bad queue name, bad parameter); answered with 400 and this message. */
public final class InvalidRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A bad request explained by {@code message}, which is sent to the client. */
  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
