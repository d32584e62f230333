package dev.corral.api.metrics;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every request into {@link HttpMetrics}. Installed first in the routing, so it also counts what the
 * guard refuses (401, 403, 413, ...). The request is recorded when its response is sent, with the status sent:
 * a handler's exception is answered by the error handler after this filter's {@code proceed} returns, so
 * recording in a {@code finally} would see the wrong status.
 *
 * <p>Thread-safe.
 */
public final class HttpMetricsFilter implements Filter {

  private final HttpMetrics metrics;

  /** A filter recording into {@code metrics}. */
  public HttpMetricsFilter(HttpMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long t0 = System.nanoTime();
    String method = req.prologue().method().text();
    String path = req.prologue().uriPath().path();
    AtomicBoolean recorded = new AtomicBoolean();
    Runnable record = () -> {
      if (recorded.compareAndSet(false, true)) {
        metrics.record(method, path, res.status().code(), System.nanoTime() - t0);
      }
    };
    res.whenSent(record);
    chain.proceed();
    if (res.isSent()) {
      record.run();
    }
  }
}
