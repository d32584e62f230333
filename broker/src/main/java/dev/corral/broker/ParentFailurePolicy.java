package dev.corral.broker;

/**
 * What happens to a flow parent when this child fails for good (retries do not count), as BullMQ 6.7.0's
 * four mutually exclusive child options. Without a policy the child stays among the parent's pending
 * dependencies, so the parent waits in {@code waiting-children} until the child is retried or removed.
 *
 * <p>Stored as {@code true} under the short key in the child's {@code opts} and in its {@code parent} JSON.
 */
public enum ParentFailurePolicy {
  /** {@code failParentOnFailure} ({@code fpof}): the parent fails with "child &lt;key&gt; failed". */
  FAIL_PARENT("fpof", "failParentOnFailure"),
  /**
   * {@code continueParentOnFailure} ({@code cpof}): the failure is recorded in the parent's {@code :failed} and
   * the parent runs at once, even with other children still pending.
   */
  CONTINUE_PARENT("cpof", "continueParentOnFailure"),
  /**
   * {@code ignoreDependencyOnFailure} ({@code idof}): the failure is recorded in the parent's {@code :failed};
   * the parent runs once no child is pending.
   */
  IGNORE_DEPENDENCY("idof", "ignoreDependencyOnFailure"),
  /** {@code removeDependencyOnFailure} ({@code rdof}): the child is dropped from the parent without a trace. */
  REMOVE_DEPENDENCY("rdof", "removeDependencyOnFailure");

  private final String wireKey;
  private final String optionName;

  ParentFailurePolicy(String wireKey, String optionName) {
    this.wireKey = wireKey;
    this.optionName = optionName;
  }

  /** The short key BullMQ stores: {@code fpof}, {@code cpof}, {@code idof} or {@code rdof}. */
  public String wireKey() {
    return wireKey;
  }

  /** BullMQ's option name, e.g. {@code failParentOnFailure}. */
  public String optionName() {
    return optionName;
  }
}
