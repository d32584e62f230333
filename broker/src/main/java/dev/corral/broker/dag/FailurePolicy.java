package dev.corral.broker.dag;

import java.util.Locale;

/** What a node's failure (for good, after its retries) does to the rest of its execution. */
public enum FailurePolicy {
  /** The execution fails: every node not yet started is cancelled; running nodes finish. */
  FAIL,
  /** The failure counts as done for the dependents, which see it in their job's {@code :failed} hash. */
  CONTINUE,
  /** Every node that depends on it, directly or transitively, is skipped; other branches go on. */
  SKIP;

  /** The stored name: {@code fail}, {@code continue} or {@code skip}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The policy stored as {@code wireName}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static FailurePolicy fromWireName(String wireName) {
    for (FailurePolicy p : values()) {
      if (p.wireName().equals(wireName)) {
        return p;
      }
    }
    throw new IllegalArgumentException("failurePolicy must be fail, continue or skip, was '" + wireName + "'");
  }
}
