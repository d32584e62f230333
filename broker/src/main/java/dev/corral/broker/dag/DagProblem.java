package dev.corral.broker.dag;

/**
 * One thing wrong with a DAG specification.
 *
 * @param field the offending field, e.g. {@code nodes[3].dependsOn} or {@code workflowId}
 * @param node the node id concerned, or {@code null} for a DAG-level problem
 * @param message what is wrong, naming the value
 */
public record DagProblem(String field, String node, String message) {

  @Override
  public String toString() {
    return field + (node == null ? "" : " (node '" + node + "')") + ": " + message;
  }
}
