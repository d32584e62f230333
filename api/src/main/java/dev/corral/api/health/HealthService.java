package dev.corral.api.health;

import dev.corral.api.ApiDeps;
import dev.corral.api.errors.MethodNotAllowedException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code GET /health}: 200 with status {@code UP} when Redis answers PING, else 503 with status {@code DOWN}.
 *
 * <p>Thread-safe.
 */
public final class HealthService implements HttpService {

  private final RedisHealthCheck redis;
  private final Clock clock;
  private final Instant startedAt;
  private final String version;

  /** The health resource of the server described by {@code deps}, checking Redis with {@code redis}. */
  public HealthService(ApiDeps deps, RedisHealthCheck redis) {
    this.redis = redis;
    this.clock = deps.clock();
    this.startedAt = deps.startedAt();
    this.version = deps.version();
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::health)
        .any("/", MethodNotAllowedException.handler("GET"));
  }

  private void health(ServerRequest req, ServerResponse res) {
    RedisStatus redisStatus = redis.check();
    long uptimeMs = Math.max(0, clock.millis() - startedAt.toEpochMilli());
    String status = redisStatus.isUp() ? HealthReport.UP : HealthReport.DOWN;
    res.status(redisStatus.isUp() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
        .send(new HealthReport(status, version, uptimeMs, redisStatus));
  }
}
