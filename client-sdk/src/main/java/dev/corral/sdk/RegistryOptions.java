package dev.corral.sdk;

import dev.corral.broker.support.Checks;
import dev.corral.broker.workers.RegistrySettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Worker} takes part in the worker registry (docs/workers.md): registers on start, heartbeats,
 * obeys remote commands, records stuck jobs, and helps sweep dead workers. On by default; build with
 * {@link #builder()}, validated in {@link Builder#build()}. Immutable.
 *
 * @param enabled take part at all (true)
 * @param heartbeatInterval time between heartbeats (5 s; 100 ms .. 10 min)
 * @param deadAfterMissed missed heartbeats after which the worker counts as dead and is swept (6; 3..100);
 *     it shows as unhealthy after 2
 * @param version the version it reports ({@code corral})
 * @param capabilities free-form capability names it reports
 * @param labels free-form labels it reports
 * @param metadata anything else it reports
 * @param settings audit size, stuck history retention, sweep throttle
 * @param sweepDeadWorkers run the dead-worker sweep from this worker's heartbeat loop (true; throttled
 *     queue-wide, so many workers share the duty)
 * @param nudges subscribe to the worker's command channel to act on commands at once (true; without it,
 *     commands are read at the next heartbeat)
 * @param recycleDeadline how long a busy job may run after a recycle before it is cancelled, when the command
 *     gives none (60 s)
 * @param shutdownDeadline how long active jobs may run after a remote shutdown, when the command gives none
 *     (60 s)
 */
public record RegistryOptions(boolean enabled, Duration heartbeatInterval, int deadAfterMissed, String version,
    List<String> capabilities, Map<String, String> labels, Map<String, String> metadata, RegistrySettings settings,
    boolean sweepDeadWorkers, boolean nudges, Duration recycleDeadline, Duration shutdownDeadline) {

  /** The defaults (enabled). */
  public static RegistryOptions defaults() {
    return builder().build();
  }

  /** Registry off: the worker neither registers nor obeys commands. */
  public static RegistryOptions disabled() {
    return builder().enabled(false).build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link RegistryOptions}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private int deadAfterMissed = 6;
    private String version = "corral";
    private List<String> capabilities = List.of();
    private Map<String, String> labels = Map.of();
    private Map<String, String> metadata = Map.of();
    private RegistrySettings settings = RegistrySettings.defaults();
    private boolean sweepDeadWorkers = true;
    private boolean nudges = true;
    private Duration recycleDeadline = Duration.ofSeconds(60);
    private Duration shutdownDeadline = Duration.ofSeconds(60);

    private Builder() {}

    public Builder enabled(boolean value) {
      this.enabled = value;
      return this;
    }

    public Builder heartbeatInterval(Duration value) {
      this.heartbeatInterval = value;
      return this;
    }

    public Builder deadAfterMissed(int value) {
      this.deadAfterMissed = value;
      return this;
    }

    public Builder version(String value) {
      this.version = value;
      return this;
    }

    public Builder capabilities(List<String> value) {
      this.capabilities = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    public Builder metadata(Map<String, String> value) {
      this.metadata = value;
      return this;
    }

    public Builder settings(RegistrySettings value) {
      this.settings = value;
      return this;
    }

    public Builder sweepDeadWorkers(boolean value) {
      this.sweepDeadWorkers = value;
      return this;
    }

    public Builder nudges(boolean value) {
      this.nudges = value;
      return this;
    }

    public Builder recycleDeadline(Duration value) {
      this.recycleDeadline = value;
      return this;
    }

    public Builder shutdownDeadline(Duration value) {
      this.shutdownDeadline = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException naming the field: an interval outside 100 ms .. 10 min, deadAfterMissed
     *     outside 3..100, a negative deadline, null settings
     */
    public RegistryOptions build() {
      Checks.isTrue(heartbeatInterval != null && heartbeatInterval.toMillis() >= 100
          && heartbeatInterval.toMillis() <= 600_000, "heartbeatInterval must be between 100 ms and 10 min, was %s",
          heartbeatInterval);
      Checks.inRange(deadAfterMissed, 3, 100, "deadAfterMissed");
      Checks.notNull(settings, "settings");
      Checks.isTrue(recycleDeadline != null && !recycleDeadline.isNegative(), "recycleDeadline must be >= 0, was %s",
          recycleDeadline);
      Checks.isTrue(shutdownDeadline != null && !shutdownDeadline.isNegative(),
          "shutdownDeadline must be >= 0, was %s", shutdownDeadline);
      return new RegistryOptions(enabled, heartbeatInterval, deadAfterMissed, version == null ? "" : version,
          List.copyOf(Checks.notNull(capabilities, "capabilities")), Map.copyOf(Checks.notNull(labels, "labels")),
          Map.copyOf(Checks.notNull(metadata, "metadata")), settings, sweepDeadWorkers, nudges, recycleDeadline,
          shutdownDeadline);
    }
  }
}
