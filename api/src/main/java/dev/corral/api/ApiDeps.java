package dev.corral.api;

import dev.corral.api.metrics.ApiMetrics;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Corral;
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
 * @param metrics what this instance counts itself for {@code /metrics} (HTTP requests, worker commands sent)
 */
public record ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version, ApiMetrics metrics) {

  /** Checks that no dependency is missing. */
  public ApiDeps {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Dependencies with fresh {@link ApiMetrics}. */
  public ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version) {
    this(broker, clock, startedAt, version, new ApiMetrics());
  }

  /** Dependencies on {@code broker} with the system clock, started now, reporting Corral's version. */
  public static ApiDeps of(BrokerClient broker) {
    Clock clock = Clock.systemUTC();
    return new ApiDeps(broker, clock, clock.instant(), Corral.VERSION);
  }
}
