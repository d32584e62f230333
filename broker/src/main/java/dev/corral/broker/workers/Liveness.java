package dev.corral.broker.workers;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether a worker is alive, computed from its last heartbeat and its own interval: {@link #HEALTHY} until it
 * has missed {@value WorkerRegistration#UNHEALTHY_AFTER_MISSED} heartbeats, {@link #UNHEALTHY} from then, and
 * {@link #DEAD} once it missed its {@code deadAfterMissed} (then the sweep removes it).
 */
public enum Liveness {
  HEALTHY, UNHEALTHY, DEAD;

  /** The lower-case name used in JSON. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whole heartbeat intervals elapsed since {@code lastHeartbeat} (0 when the clock is behind it). */
  public static long missed(long lastHeartbeat, long intervalMs, long now) {
    return Math.max(0, now - lastHeartbeat) / Math.max(1, intervalMs);
  }

  /** The liveness of a worker that last heartbeat at {@code lastHeartbeat}. Pure. */
  public static Liveness of(long lastHeartbeat, long intervalMs, int deadAfterMissed, long now) {
    long missed = missed(lastHeartbeat, intervalMs, now);
    if (missed >= deadAfterMissed) {
      return DEAD;
    }
    return missed >= WorkerRegistration.UNHEALTHY_AFTER_MISSED ? UNHEALTHY : HEALTHY;
  }
}
