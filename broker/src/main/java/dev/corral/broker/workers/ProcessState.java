package dev.corral.broker.workers;

import java.util.Locale;

/** What a worker's child process is doing, as reported in heartbeats ({@code idle}, {@code busy}, {@code killed}). */
public enum ProcessState {
  /** Waiting for a job. */
  IDLE,
  /** Running a job. */
  BUSY,
  /** Killed (timeout, memory, recycle or crash) and not yet replaced. */
  KILLED;

  /** The lower-case name used in JSON and in Redis. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state named {@code wire}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static ProcessState fromWireName(String wire) {
    for (ProcessState s : values()) {
      if (s.wireName().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("process state must be one of idle, busy, killed, was '" + wire + "'");
  }
}
