package dev.corral.api.metrics;

import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.health.RedisHealthCheck;
import dev.corral.api.health.RedisStatus;
import dev.corral.api.stats.SnapshotReader;
import dev.corral.api.stats.SystemSnapshot;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the Prometheus text format 0.0.4. Queue, worker, execution and memory gauges are read
 * from Redis at each scrape ({@link SnapshotReader}); HTTP and command counters come from this instance's
 * {@link ApiMetrics}. Each scrape first PINGs Redis with the health check's 1 s timeout; when Redis does not
 * answer (or a read fails), the scrape still succeeds, quickly, with {@code corral_redis_up 0} and only this
 * instance's own metrics. Thread-safe.
 */
public final class MetricsService implements HttpService {

  private static final System.Logger LOG = System.getLogger(MetricsService.class.getName());

  private final SnapshotReader snapshots;
  private final ApiMetrics metrics;
  private final RedisHealthCheck ping;

  /** The metrics of what {@code snapshots} reads once {@code ping} found Redis up, plus {@code metrics}. */
  public MetricsService(SnapshotReader snapshots, ApiMetrics metrics, RedisHealthCheck ping) {
    this.snapshots = snapshots;
    this.metrics = metrics;
    this.ping = ping;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::get)
        .any("/", MethodNotAllowedException.handler("GET"));
  }

  private void get(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
    res.send(render().getBytes(StandardCharsets.UTF_8));
  }

  /** The whole exposition. */
  String render() {
    PrometheusText out = new PrometheusText();
    SystemSnapshot snapshot = null;
    RedisStatus redis = ping.check();
    if (!redis.isUp()) {
      LOG.log(Level.WARNING, "/metrics: Redis is down (" + redis.error() + "), answering with this instance's "
          + "metrics only");
    } else {
      try {
        snapshot = snapshots.read();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "/metrics: cannot read Redis, answering with this instance's metrics only: "
            + e.getMessage());
      }
    }
    out.family("corral_redis_up", "gauge", "1 when this scrape could read Redis, else 0.");
    out.sample("corral_redis_up", snapshot == null ? 0 : 1);
    if (snapshot != null) {
      SnapshotGauges.write(out, snapshot);
    }
    metrics.commands().write(out);
    metrics.http().write(out);
    return out.text();
  }
}
