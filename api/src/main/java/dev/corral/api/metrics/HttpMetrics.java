package dev.corral.api.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP requests this API instance served since it started: a counter per method, route template and
 * status, and a latency histogram per method and route. Labels are bounded: the route is a
 * {@link RouteTemplates} template (or {@code other}), the method one of the standard ones (or {@code OTHER}),
 * the status a number. Thread-safe; lock-free on the request path.
 */
public final class HttpMetrics {

  /** Upper bounds (seconds) of the latency histogram's buckets, Prometheus's defaults; {@code +Inf} is implied. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private record Series(String method, String route, int status) {}

  private record Route(String method, String route) {}

  /** One histogram: a count per bucket (not cumulative), the sum of the durations, and the total count. */
  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    final DoubleAdder sum = new DoubleAdder();
    final LongAdder count = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          buckets[i].increment();
          break;
        }
      }
      sum.add(seconds);
      count.increment();
    }
  }

  private final Map<Series, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<Route, Histogram> durations = new ConcurrentHashMap<>();

  /**
   * Records one answered request.
   *
   * @param method the HTTP method
   * @param path the request path (mapped to its route template here)
   * @param status the status sent
   * @param nanos how long it took
   */
  public void record(String method, String path, int status, long nanos) {
    String m = method == null ? "OTHER" : method.toUpperCase(Locale.ROOT);
    m = METHODS.contains(m) ? m : "OTHER";
    String route = RouteTemplates.of(path);
    requests.computeIfAbsent(new Series(m, route, status), k -> new LongAdder()).increment();
    durations.computeIfAbsent(new Route(m, route), k -> new Histogram()).observe(Math.max(0, nanos) / 1e9);
  }

  /** Writes {@code corral_http_requests_total} and {@code corral_http_request_duration_seconds}. */
  public void write(PrometheusText out) {
    out.family("corral_http_requests_total", "counter",
        "HTTP requests answered by this API instance since it started, by method, route template and status.");
    requests.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Series::route).thenComparing(Series::method)
            .thenComparingInt(Series::status)))
        .forEach(e -> out.sample("corral_http_requests_total", e.getValue().sum(), "method", e.getKey().method(),
            "route", e.getKey().route(), "status", String.valueOf(e.getKey().status())));
    out.family("corral_http_request_duration_seconds", "histogram",
        "Time from the request reaching the server's filters to its response being sent, by method and route.");
    durations.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Route::route).thenComparing(Route::method)))
        .forEach(e -> writeHistogram(out, e.getKey(), e.getValue()));
  }

  private static void writeHistogram(PrometheusText out, Route route, Histogram h) {
    String name = "corral_http_request_duration_seconds";
    long count = h.count.sum();
    long cumulative = 0;
    for (int i = 0; i < BUCKETS.length; i++) {
      cumulative += h.buckets[i].sum();
      out.sample(name + "_bucket", Math.min(cumulative, count), "method", route.method(), "route", route.route(),
          "le", PrometheusText.formatValue(BUCKETS[i]));
    }
    out.sample(name + "_bucket", count, "method", route.method(), "route", route.route(), "le", "+Inf");
    out.sample(name + "_sum", h.sum.sum(), "method", route.method(), "route", route.route());
    out.sample(name + "_count", count, "method", route.method(), "route", route.route());
  }
}
