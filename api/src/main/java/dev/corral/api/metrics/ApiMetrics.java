package dev.corral.api.metrics;

/**
 * What this API instance counts itself (the rest of {@code /metrics} is read from Redis at each scrape): HTTP
 * requests and worker commands sent. One per server, shared by the filter, the worker routes and
 * {@link MetricsService}. Thread-safe.
 */
public final class ApiMetrics {

  private final HttpMetrics http = new HttpMetrics();
  private final CommandCounts commands = new CommandCounts();

  /** The HTTP request metrics. */
  public HttpMetrics http() {
    return http;
  }

  /** The worker commands sent. */
  public CommandCounts commands() {
    return commands;
  }

  /** A filter timing every request into {@link #http()}; install it before any other filter. */
  public HttpMetricsFilter filter() {
    return new HttpMetricsFilter(http);
  }
}
