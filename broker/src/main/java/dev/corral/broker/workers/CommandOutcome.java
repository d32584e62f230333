package dev.corral.broker.workers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a command ended, in the audit list. */
public enum CommandOutcome {
  /** Carried out. */
  DONE,
  /** Not applicable (e.g. recycle of an unknown pid, or no idle process). */
  REJECTED,
  /** Tried and failed. */
  FAILED,
  /** Never read: the worker went away first. */
  UNDELIVERED;

  /** The lower-case name used in JSON. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome named {@code wire}. */
  @JsonCreator
  public static CommandOutcome fromWireName(String wire) {
    for (CommandOutcome o : values()) {
      if (o.wireName().equals(wire)) {
        return o;
      }
    }
    throw new IllegalArgumentException("outcome must be one of done, rejected, failed, undelivered, was '"
        + wire + "'");
  }
}
