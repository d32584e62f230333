package dev.corral.api.health;

import dev.corral.api.ApiDeps;
import dev.corral.api.ServerState;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.health.HealthReport.Component;
import dev.corral.api.health.HealthReport.Components;
import dev.corral.broker.lease.LeaderLease;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /health}: 200 with status {@code UP} (or {@code DEGRADED} when a component is degraded), 503 with
 * status {@code DOWN} when Redis does not answer PING or the server is stopping. Reports this instance, whether
 * it leads, the components and the workers' counts and capacity from the registry's heartbeats.
 *
 * <p>Thread-safe.
 */
public final class HealthService implements HttpService {

  /** A PING slower than this makes the queue component degraded. */
  public static final long SLOW_REDIS_MS = 500;

  private final RedisHealthCheck redis;
  private final WorkerRegistry registry;
  private final LeaderLease lease;
  private final ServerState state;
  private final Clock clock;
  private final Instant startedAt;
  private final String version;

  /** The health resource of the server described by {@code deps}, checking Redis with {@code redis}. */
  public HealthService(ApiDeps deps, RedisHealthCheck redis, WorkerRegistry registry) {
    this.redis = redis;
    this.registry = registry;
    this.lease = deps.lease();
    this.state = deps.state();
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
    HealthReport report;
    if (!redisStatus.isUp()) {
      Component down = Component.down("Redis is unreachable: " + redisStatus.error());
      report = new HealthReport(HealthReport.DOWN, lease.instanceId(), version, uptimeMs, lease.isLeader(),
          redisStatus, new Components(down, down, down), null, null);
    } else {
      report = upReport(redisStatus, uptimeMs);
    }
    res.status(HealthReport.DOWN.equals(report.status()) ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200)
        .send(report);
  }

  private HealthReport upReport(RedisStatus redisStatus, long uptimeMs) {
    Component queue = redisStatus.latencyMs() > SLOW_REDIS_MS
        ? Component.degraded("Redis answered PING in " + redisStatus.latencyMs() + " ms")
        : Component.ok("Redis answers");
    if (state.isStopping()) {
      queue = Component.down("the server is stopping");
    }
    WorkerHealth workers;
    Component executions;
    try {
      workers = WorkerHealth.of(registry.list());
      Optional<LeaderLease.Holder> leader = lease.holder();
      executions = leader.isPresent()
          ? Component.ok("leader " + leader.get().instanceId() + " runs the DAG coordinator and stalled checks")
          : Component.degraded("no leader: the DAG coordinator and stalled-job recovery are not running");
    } catch (RuntimeException e) {
      String why = "cannot read the registry: " + e.getMessage();
      return new HealthReport(HealthReport.DOWN, lease.instanceId(), version, uptimeMs, lease.isLeader(),
          redisStatus, new Components(Component.down(why), Component.down(why), Component.down(why)), null, null);
    }
    Components components = new Components(queue, workers.component(), executions);
    String status = state.isStopping() ? HealthReport.DOWN
        : "ok".equals(queue.status()) && "ok".equals(workers.component().status())
            && "ok".equals(executions.status()) ? HealthReport.UP : HealthReport.DEGRADED;
    return new HealthReport(status, lease.instanceId(), version, uptimeMs, lease.isLeader(), redisStatus,
        components, workers.counts(), workers.capacity());
  }
}
