package dev.corral.api.errors;

import io.helidon.webserver.http.Handler;

/** A known path was called with a method it does not support; answered with 405 and an {@code Allow} header. */
public final class MethodNotAllowedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String allowed;

  /** {@code method} is not allowed on {@code path}; {@code allowed} is the comma-separated list that is. */
  public MethodNotAllowedException(String method, String path, String allowed) {
    super("method " + method + " is not allowed on " + path + "; allowed: " + allowed);
    this.allowed = allowed;
  }

  /** The methods that are allowed, for the {@code Allow} header. */
  public String allowed() {
    return allowed;
  }

  /**
   * A handler to register with {@code any(path, ...)} after a path's real routes: every other method gets 405.
   *
   * @param allowed the methods the path supports, e.g. {@code "GET"} or {@code "GET, POST"}
   */
  public static Handler handler(String allowed) {
    return (req, res) -> {
      throw new MethodNotAllowedException(req.prologue().method().text(), req.prologue().uriPath().path(), allowed);
    };
  }
}
