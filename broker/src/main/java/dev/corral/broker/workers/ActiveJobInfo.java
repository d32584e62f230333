package dev.corral.broker.workers;

/**
 * A job a worker is processing, as reported in its heartbeats.
 *
 * @param queue the job's queue
 * @param jobId the job id
 * @param name the job name
 * @param executionId the DAG execution id when the job is a DAG node, else null
 * @param workflowId the DAG workflow id when known, else null
 * @param startedAt when the attempt started (ms since the epoch)
 */
public record ActiveJobInfo(String queue, String jobId, String name, String executionId, String workflowId,
    long startedAt) {

  /** {@code "<queue>:<jobId>"}: how the registry refers to a job (queue names cannot contain {@code :}). */
  public String ref() {
    return queue + ":" + jobId;
  }
}
