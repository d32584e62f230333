package dev.corral.broker.dag;

/**
 * One node of an execution as read by {@link DagExecutions#get(String)}.
 *
 * @param id the node id
 * @param state the node's state
 * @param queue the queue name of its job
 * @param jobId its job id
 * @param timestamp when its job was created (ms), or {@code null} when the job hash is gone
 * @param processedOn when its job was last taken by a worker (ms), or {@code null}
 * @param finishedOn when its job finished (ms), or {@code null}
 */
public record DagNodeStatus(String id, NodeState state, String queue, String jobId, Long timestamp,
    Long processedOn, Long finishedOn) {

  /** Released and taken by a worker, not finished: counts as running in the totals. */
  public boolean running() {
    return state == NodeState.RELEASED && processedOn != null && finishedOn == null;
  }
}
