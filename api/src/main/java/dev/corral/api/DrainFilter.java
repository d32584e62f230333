package dev.corral.api;

import dev.corral.api.errors.ErrorMapping;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.time.Clock;

/**
 * Counts the requests in flight ({@link ServerState}) and, once the server is stopping, refuses new ones with
 * 503 {@code unavailable} and {@code Connection: close} ({@code /health} still answers, with its own 503), so a
 * graceful stop waits only for requests already running, not for idle keep-alive connections. Thread-safe.
 */
public final class DrainFilter implements Filter {

  private final ServerState state;
  private final ErrorMapping errors;

  /** A filter over {@code state}, stamping errors with {@code clock}. */
  public DrainFilter(ServerState state, Clock clock) {
    this.state = state;
    this.errors = new ErrorMapping(clock);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (state.isStopping() && !req.prologue().uriPath().path().startsWith("/health")) {
      res.header(HeaderNames.CONNECTION, "close");
      errors.send(req, res, Status.SERVICE_UNAVAILABLE_503, "unavailable", "the server is stopping; try another "
          + "instance");
      return;
    }
    state.enter();
    try {
      chain.proceed();
    } finally {
      state.exit();
    }
  }
}
