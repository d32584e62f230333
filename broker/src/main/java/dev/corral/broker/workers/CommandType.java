package dev.corral.broker.workers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The remote commands a worker obeys. */
public enum CommandType {
  /** Replace a process (a given pid, or any idle one); for an in-JVM worker, restart a processing slot. */
  RECYCLE,
  /** Finish the active jobs and take no more (until {@link #RESUME}). */
  DRAIN,
  /** Stop taking jobs on this worker. */
  PAUSE,
  /** Take jobs again after {@link #PAUSE} or {@link #DRAIN}. */
  RESUME,
  /** Close gracefully (active jobs get the command's deadline) and deregister. */
  SHUTDOWN;

  /** The lower-case name used in JSON. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The command named {@code wire}.
   *
   * @throws IllegalArgumentException naming {@code type} for an unknown name
   */
  @JsonCreator
  public static CommandType fromWireName(String wire) {
    for (CommandType t : values()) {
      if (t.wireName().equals(wire)) {
        return t;
      }
    }
    throw new IllegalArgumentException("type must be one of recycle, drain, pause, resume, shutdown, was '"
        + wire + "'");
  }
}
