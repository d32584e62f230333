package dev.corral.broker.workers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a job counts as stuck, in the stuck history. */
public enum StuckReason {
  /** The stalled check moved it back to wait (its lock expired while active). */
  STALLED("stalled"),
  /** Its worker could not renew its lock (another worker may own it now). */
  LOCK_LOST("lock-lost"),
  /** It ran past its timeout and was stopped (e.g. a process pool killed its process). */
  TIMEOUT("timeout"),
  /** Its worker stopped heartbeating and was swept as dead. */
  DEAD_WORKER("dead-worker");

  private final String wire;

  StuckReason(String wire) {
    this.wire = wire;
  }

  /** The name used in JSON and in Redis. */
  @JsonValue
  public String wireName() {
    return wire;
  }

  /**
   * The reason named {@code wire}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  @JsonCreator
  public static StuckReason fromWireName(String wire) {
    for (StuckReason r : values()) {
      if (r.wire.equals(wire)) {
        return r;
      }
    }
    throw new IllegalArgumentException("reason must be one of stalled, lock-lost, timeout, dead-worker, was '"
        + wire + "'");
  }
}
