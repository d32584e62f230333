package dev.corral.api.leader;

import java.util.Comparator;
import java.util.List;

/**
 * One change a recovery pass makes (or, in a dry run, would make). Fields that do not apply are null.
 *
 * @param kind {@code stalled-job}, {@code dead-worker} or {@code dag-node}
 * @param queue the job's queue
 * @param jobId the job's id
 * @param workerId the dead worker's id
 * @param executionId the DAG execution of the node
 * @param nodeId the DAG node
 * @param from the state before ({@code active}, {@code registered}, {@code released})
 * @param to the state after ({@code wait}, {@code removed}, {@code completed}, {@code failed})
 * @param reason why ({@code stalled}, {@code stalled-limit} (fails at its next fetch, as BullMQ's deferred
 *     failure), {@code dead}, {@code job-completed}, {@code job-failed})
 * @param jobs for a dead worker, the jobs of its last heartbeat ({@code queue:jobId}), recorded in the stuck
 *     history
 */
public record RecoveryMove(String kind, String queue, String jobId, String workerId, String executionId,
    String nodeId, String from, String to, String reason, List<String> jobs) {

  /** The order moves are listed in, so a dry run and the following real run list them alike. */
  public static final Comparator<RecoveryMove> ORDER = Comparator.comparing(RecoveryMove::kind)
      .thenComparing(m -> nz(m.queue())).thenComparing(m -> nz(m.jobId())).thenComparing(m -> nz(m.workerId()))
      .thenComparing(m -> nz(m.executionId())).thenComparing(m -> nz(m.nodeId()));

  /** A stalled job going back to wait. */
  static RecoveryMove stalled(String queue, String jobId, boolean failing) {
    return new RecoveryMove("stalled-job", queue, jobId, null, null, null, "active", "wait",
        failing ? "stalled-limit" : "stalled", null);
  }

  /** A dead worker removed from the registry. */
  static RecoveryMove deadWorker(String workerId, List<String> jobs) {
    return new RecoveryMove("dead-worker", null, null, workerId, null, null, "registered", "removed", "dead",
        jobs.stream().sorted().toList());
  }

  /** A released DAG node finished because its job is completed or failed. */
  static RecoveryMove dagNode(String queue, String jobId, String executionId, String nodeId, String to) {
    return new RecoveryMove("dag-node", queue, jobId, null, executionId, nodeId, "released", to, "job-" + to, null);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
