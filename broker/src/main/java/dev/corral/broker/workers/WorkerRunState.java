package dev.corral.broker.workers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a worker says it is doing, in its heartbeats. */
public enum WorkerRunState {
  /** Taking and processing jobs. */
  RUNNING,
  /** Not taking jobs ({@code pause}); active jobs finish. */
  PAUSED,
  /** Not taking jobs and waiting for its active jobs ({@code drain}). */
  DRAINING,
  /** Drained: no active jobs, takes none until resumed. */
  DRAINED,
  /** Closing. */
  CLOSING;

  /** The lower-case name used in JSON. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state named {@code wire}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  @JsonCreator
  public static WorkerRunState fromWireName(String wire) {
    for (WorkerRunState s : values()) {
      if (s.wireName().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("worker state must be one of running, paused, draining, drained, closing, "
        + "was '" + wire + "'");
  }
}
