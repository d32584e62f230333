package dev.corral.broker.workers;

import dev.corral.broker.support.Checks;
import java.time.Duration;

/**
 * Bounds of the registry, the command audit and the stuck history. Immutable.
 *
 * @param auditSize audit entries kept per worker (100)
 * @param auditTtl how long a gone worker's audit list is kept (1 day)
 * @param maxPendingCommands commands queued for one worker at most (1000)
 * @param stuckRetention how long an hour of stuck history is kept after the hour ends (7 days)
 * @param stuckLogPerHour stuck events kept in full per hour (1000; the counters count them all)
 * @param sweepThrottle the dead-worker sweep runs at most once per this interval, whoever calls it (1 s)
 */
public record RegistrySettings(int auditSize, Duration auditTtl, int maxPendingCommands, Duration stuckRetention,
    int stuckLogPerHour, Duration sweepThrottle) {

  /** Validates. */
  public RegistrySettings {
    Checks.inRange(auditSize, 1, 100_000, "auditSize");
    Checks.isTrue(auditTtl != null && auditTtl.toSeconds() >= 1, "auditTtl must be >= 1 s, was %s", auditTtl);
    Checks.inRange(maxPendingCommands, 1, 1_000_000, "maxPendingCommands");
    Checks.isTrue(stuckRetention != null && stuckRetention.toSeconds() >= 1, "stuckRetention must be >= 1 s, was %s",
        stuckRetention);
    Checks.inRange(stuckLogPerHour, 1, 1_000_000, "stuckLogPerHour");
    Checks.isTrue(sweepThrottle != null && !sweepThrottle.isNegative(), "sweepThrottle must be >= 0, was %s",
        sweepThrottle);
  }

  /** The defaults. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(100, Duration.ofDays(1), 1000, Duration.ofDays(7), 1000, Duration.ofSeconds(1));
  }

  /** These settings with another stuck retention. */
  public RegistrySettings withStuckRetention(Duration value) {
    return new RegistrySettings(auditSize, auditTtl, maxPendingCommands, value, stuckLogPerHour, sweepThrottle);
  }

  /** These settings with another sweep throttle. */
  public RegistrySettings withSweepThrottle(Duration value) {
    return new RegistrySettings(auditSize, auditTtl, maxPendingCommands, stuckRetention, stuckLogPerHour, value);
  }
}
