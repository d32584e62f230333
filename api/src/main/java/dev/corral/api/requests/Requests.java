package dev.corral.api.requests;

import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reading a request's raw inputs (body bytes, query parameters) for the parsers of this package. */
public final class Requests {

  private Requests() {}

  /** The body's bytes; empty when the request has no entity. */
  public static byte[] body(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first value of query parameter {@code name}, or {@code null} when absent. */
  public static String query(ServerRequest req, String name) {
    return req.query().contains(name) ? req.query().get(name) : null;
  }
}
