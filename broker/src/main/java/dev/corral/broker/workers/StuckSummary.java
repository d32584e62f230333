package dev.corral.broker.workers;

import java.util.Map;

/**
 * Stuck events of one workflow (or, for jobs outside a workflow, one queue's job name) over a window.
 *
 * @param workflowId the workflow, or null for a group by job name
 * @param queue the queue of a job-name group, or null for a workflow
 * @param jobName the job name of a job-name group, or null for a workflow
 * @param count events in the window
 * @param lastAt the latest event's time (ms)
 * @param reasons events per reason
 */
public record StuckSummary(String workflowId, String queue, String jobName, long count, long lastAt,
    Map<StuckReason, Long> reasons) {

  /** Copies the map. */
  public StuckSummary {
    reasons = Map.copyOf(reasons);
  }
}
