package dev.corral.broker.dag;

import dev.corral.broker.BrokerException;

/**
 * A submission was refused because of what Redis already holds (an execution id or a custom job id that is
 * taken). Nothing was written.
 */
public final class DagConflictException extends BrokerException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String node;

  DagConflictException(String field, String node, String message) {
    super(message, null);
    this.field = field;
    this.node = node;
  }

  /** The field whose value is taken, e.g. {@code executionId} or {@code nodes[2].options.jobId}. */
  public String field() {
    return field;
  }

  /** The node concerned, or {@code null}. */
  public String node() {
    return node;
  }
}
