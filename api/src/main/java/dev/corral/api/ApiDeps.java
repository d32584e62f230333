package dev.corral.api;

import dev.corral.api.stream.StreamSettings;
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
 * @param streams the settings of {@code /api/stream}
 */
public record ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version, StreamSettings streams) {

  /** Checks that no dependency is missing. */
  public ApiDeps {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(streams, "streams");
  }

  /** Dependencies with the default stream settings. */
  public ApiDeps(BrokerClient broker, Clock clock, Instant startedAt, String version) {
    this(broker, clock, startedAt, version, StreamSettings.defaults());
  }

  /** These dependencies with other stream settings. */
  public ApiDeps withStreams(StreamSettings settings) {
    return new ApiDeps(broker, clock, startedAt, version, settings);
  }

  /** Dependencies on {@code broker} with the system clock, started now, reporting Corral's version. */
  public static ApiDeps of(BrokerClient broker) {
    Clock clock = Clock.systemUTC();
    return new ApiDeps(broker, clock, clock.instant(), Corral.VERSION);
  }
}
