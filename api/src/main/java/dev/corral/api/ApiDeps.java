package dev.corral.api;

import dev.corral.api.metrics.ApiMetrics;
import dev.corral.api.stream.StreamSettings;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Corral;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lease.LeaderLease;
import dev.corral.broker.lease.LeaseOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the HTTP services need, passed to their constructors by {@link Main#routing}.
 *
 * @param broker the connection to Redis
 * @param clock the clock for uptime and error timestamps
 * @param startedAt when the server started, for {@code uptime_ms}
 * @param version the version reported by {@code /health}
 * @param lease this instance's part in the leader election (its instance id; not started in route-only tests)
 * @param state whether the server is stopping
 * @param metrics what this instance counts itself for {@code /metrics} (HTTP requests, worker commands sent)
 * @param streams the settings of {@code /api/stream}
 * @param prefix the key prefix of the queues and of Corral's own keys (executions, registry, schemas, lease)
 */
public record ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version, LeaderLease lease,
    ServerState state, ApiMetrics metrics, StreamSettings streams, String prefix) {

  /** Checks that no dependency is missing. */
  public ApiDeps {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(prefix, "prefix");
  }

  /** Dependencies with fresh {@link ApiMetrics}, the default stream settings and the default prefix {@code bull}. */
  public ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version, LeaderLease lease,
      ServerState state) {
    this(broker, clock, startedAt, version, lease, state, new ApiMetrics(), StreamSettings.defaults(),
        QueueKeys.DEFAULT_PREFIX);
  }

  /**
   * Dependencies on {@code broker} with the system clock, started now, reporting Corral's version, with a lease
   * that is not started (this instance never leads).
   */
  public static ApiDeps of(BrokerClient broker) {
    Clock clock = Clock.systemUTC();
    return new ApiDeps(broker, clock, clock.instant(), Corral.VERSION,
        LeaderLease.create(broker, LeaseOptions.defaults()), new ServerState());
  }

  /** These dependencies with other stream settings. */
  public ApiDeps withStreams(StreamSettings settings) {
    return new ApiDeps(broker, clock, startedAt, version, lease, state, metrics, settings, prefix);
  }

  /** This process's instance id. */
  public String instanceId() {
    return lease.instanceId();
  }
}
