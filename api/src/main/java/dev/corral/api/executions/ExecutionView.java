package dev.corral.api.executions;

import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagNodeStatus;
import dev.corral.broker.dag.DagSummary;
import dev.corral.broker.dag.DagTotals;
import java.util.List;

/**
 * The body of {@code GET /api/executions/{id}}.
 *
 * @param id the execution id
 * @param workflowId the workflow id
 * @param workflowName the display name, or null
 * @param status running, completed, failed or cancelled
 * @param parallelism most nodes released at once (0 = unlimited)
 * @param defaultPolicy the failure policy of nodes without their own
 * @param idempotencyKey the idempotency key, or null
 * @param createdAt submission time (ms)
 * @param startedAt start time (ms), or null
 * @param completedAt end time (ms), or null while it runs
 * @param totals node counts
 * @param nodes every node, by id
 */
public record ExecutionView(String id, String workflowId, String workflowName, String status, int parallelism,
    String defaultPolicy, String idempotencyKey, long createdAt, Long startedAt, Long completedAt, DagTotals totals,
    List<Node> nodes) {

  /**
   * One node.
   *
   * @param id the node id
   * @param state held, released, completed, failed, skipped or cancelled
   * @param running whether a worker has it
   * @param queue its job's queue
   * @param jobId its job id
   * @param queuedAt when its job was created (ms), or null when the job is gone
   * @param processedOn when a worker last took its job (ms), or null
   * @param finishedOn when its job finished (ms), or null
   */
  public record Node(String id, String state, boolean running, String queue, String jobId, Long queuedAt,
      Long processedOn, Long finishedOn) {

    static Node of(DagNodeStatus n) {
      return new Node(n.id(), n.state().wireName(), n.running(), n.queue(), n.jobId(), n.timestamp(),
          n.processedOn(), n.finishedOn());
    }
  }

  /** The view of {@code e}. */
  public static ExecutionView of(DagExecution e) {
    return new ExecutionView(e.id(), e.workflowId(), e.workflowName(), e.status().wireName(), e.parallelism(),
        e.defaultPolicy().wireName(), e.idempotencyKey(), e.createdAt(), e.startedAt(), e.completedAt(), e.totals(),
        e.nodes().stream().map(Node::of).toList());
  }

  /**
   * One execution in a list.
   *
   * @param id the execution id
   * @param workflowId the workflow id
   * @param status its status
   * @param createdAt submission time (ms)
   * @param completedAt end time (ms), or null
   * @param total nodes
   * @param completed nodes completed
   * @param failed nodes failed
   */
  public record Summary(String id, String workflowId, String status, long createdAt, Long completedAt, int total,
      int completed, int failed) {

    static Summary of(DagSummary s) {
      return new Summary(s.id(), s.workflowId(), s.status().wireName(), s.createdAt(), s.completedAt(), s.total(),
          s.completed(), s.failed());
    }
  }

  /**
   * A page of executions, newest first.
   *
   * @param executions the page
   * @param offset as asked
   * @param limit as asked
   * @param hasMore whether a next page may exist (the page is full)
   */
  public record Page(List<Summary> executions, int offset, int limit, boolean hasMore) {}
}
