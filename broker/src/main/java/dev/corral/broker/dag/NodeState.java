package dev.corral.broker.dag;

import java.util.Locale;

/** The state of one node in its execution ({@code <p>:dag:<execId>:state}). */
public enum NodeState {
  /** Waiting for dependencies or for a parallelism slot; its job is in waiting-children. */
  HELD,
  /** Its job was put in wait / prioritized / delayed; it may be running. */
  RELEASED,
  /** Its job completed. */
  COMPLETED,
  /** Its job failed for good. */
  FAILED,
  /** A dependency failed under the skip policy; its job was removed. */
  SKIPPED,
  /** The execution failed or was cancelled before the node started; its job was removed. */
  CANCELLED;

  /** The stored name, lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state stored as {@code wireName}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static NodeState fromWireName(String wireName) {
    for (NodeState s : values()) {
      if (s.wireName().equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown node state '" + wireName + "'");
  }
}
