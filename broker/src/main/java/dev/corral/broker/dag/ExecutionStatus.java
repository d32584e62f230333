package dev.corral.broker.dag;

import java.util.Locale;

/** The status of a DAG execution, stored in its record's {@code status} field. */
public enum ExecutionStatus {
  /** Nodes are waiting or running. */
  RUNNING,
  /** Every node finished (some may have failed under continue or been skipped; the totals tell). */
  COMPLETED,
  /** A node with policy fail failed; nodes not started were cancelled. */
  FAILED,
  /** Cancelled by {@code DagExecutions.cancel}. */
  CANCELLED;

  /** The stored name, lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The status stored as {@code wireName}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static ExecutionStatus fromWireName(String wireName) {
    for (ExecutionStatus s : values()) {
      if (s.wireName().equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown execution status '" + wireName + "'");
  }
}
