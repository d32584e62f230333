package dev.corral.broker;

import java.util.Locale;

/** Where a job is, by the key that holds its id. {@link #wireName()} is BullMQ's name for the state. */
public enum JobState {
  WAITING("waiting"),
  PRIORITIZED("prioritized"),
  DELAYED("delayed"),
  ACTIVE("active"),
  WAITING_CHILDREN("waiting-children"),
  COMPLETED("completed"),
  FAILED("failed"),
  /** Legacy (BullMQ 5) paused list; BullMQ 6 never writes it, but counts can still ask for it. */
  PAUSED("paused"),
  UNKNOWN("unknown");

  private final String wireName;

  JobState(String wireName) {
    this.wireName = wireName;
  }

  /** The name BullMQ uses: {@code waiting}, {@code waiting-children}, ... */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a BullMQ state name ({@code wait} is accepted for {@code waiting}).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static JobState fromWireName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("state cannot be null");
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("wait")) {
      return WAITING;
    }
    for (JobState s : values()) {
      if (s.wireName.equals(n) || s.name().equalsIgnoreCase(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("state must be one of waiting, prioritized, delayed, active, "
        + "waiting-children, completed, failed, paused; was '" + name + "'");
  }

  /** The states {@code getJobCounts()} reports by default (BullMQ 6: no paused). */
  public static JobState[] defaultCountStates() {
    return new JobState[] {ACTIVE, COMPLETED, DELAYED, FAILED, PRIORITIZED, WAITING, WAITING_CHILDREN};
  }
}
