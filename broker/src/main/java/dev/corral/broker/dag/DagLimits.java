package dev.corral.broker.dag;

import dev.corral.broker.support.Checks;

/**
 * Upper bounds on one execution, checked before anything is written.
 *
 * @param maxNodes most nodes in one execution
 * @param maxDataBytes most bytes of node data (JSON, UTF-8) summed over all nodes
 */
public record DagLimits(int maxNodes, long maxDataBytes) {

  /** Default node limit: 10 000. */
  public static final int DEFAULT_MAX_NODES = 10_000;

  /** Default data limit: 64 MiB. */
  public static final long DEFAULT_MAX_DATA_BYTES = 64L * 1024 * 1024;

  private static final DagLimits DEFAULTS = new DagLimits(DEFAULT_MAX_NODES, DEFAULT_MAX_DATA_BYTES);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException when a limit is below 1
   */
  public DagLimits {
    Checks.atLeast(maxNodes, 1, "maxNodes");
    Checks.atLeast(maxDataBytes, 1, "maxDataBytes");
  }

  /** 10 000 nodes and 64 MiB of data. */
  public static DagLimits defaults() {
    return DEFAULTS;
  }
}
