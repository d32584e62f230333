package dev.corral.broker.workers;

/**
 * The job a process (or processing slot) is running, as reported in heartbeats.
 *
 * @param queue the job's queue
 * @param jobId the job id
 * @param executionId the DAG execution id when the job is a DAG node, else {@code null}
 * @param startedAt when the attempt started (ms since the epoch)
 * @param elapsedSeconds seconds since {@code startedAt} at the time of the report
 */
public record RunningExecution(String queue, String jobId, String executionId, long startedAt, long elapsedSeconds) {}
