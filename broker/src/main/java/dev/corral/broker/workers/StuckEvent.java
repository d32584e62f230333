package dev.corral.broker.workers;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;

/**
 * One stuck-job event: a stalled recovery, a lost lock, a timeout or a dead worker's job. Validated on
 * construction; immutable.
 *
 * @param queue the job's queue
 * @param jobId the job id
 * @param jobName the job name (empty when unknown)
 * @param executionId the DAG execution id, or null
 * @param workflowId the DAG workflow id, or null (events are grouped by workflow, else by queue and job name)
 * @param workerId the worker that was running it, or null (the registry then names its owner when it knows it)
 * @param reason why it was stuck
 * @param detail a short description (at most 1024 characters)
 * @param at when it happened (ms since the epoch); 0 when recording means "now"
 */
public record StuckEvent(String queue, String jobId, String jobName, String executionId, String workflowId,
    String workerId, StuckReason reason, String detail, long at) {

  /** Validates; null texts become empty where the wire needs them. */
  public StuckEvent {
    QueueKeys.validateQueueName(queue);
    Checks.notEmpty(jobId, "jobId");
    jobName = jobName == null ? "" : jobName;
    executionId = blankToNull(executionId);
    workflowId = blankToNull(workflowId);
    workerId = blankToNull(workerId);
    Checks.notNull(reason, "reason");
    detail = detail == null ? "" : detail;
    Checks.isTrue(detail.length() <= 1024, "detail must be at most 1024 characters, was %d", detail.length());
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The group it is counted in: {@code wf:<workflowId>}, else {@code job:<queue>:<jobName>}. */
  public String group() {
    return workflowId != null ? "wf:" + workflowId : "job:" + queue + ":" + jobName;
  }
}
