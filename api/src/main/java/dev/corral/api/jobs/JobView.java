package dev.corral.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.Job;
import dev.corral.broker.JobState;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/queues/{queue}/jobs/{id}}.
 *
 * @param id the job id
 * @param name the job name
 * @param queue the queue name
 * @param state where the job is ({@code waiting}, {@code active}, ...)
 * @param data the job data
 * @param options the stored options (BullMQ's stored form)
 * @param progress the last reported progress, or null
 * @param attempts total attempts allowed (0 and 1: no retries)
 * @param attemptsMade attempts made
 * @param attemptsStarted times the job was taken by a worker
 * @param priority priority (0 = none)
 * @param delay delay in ms
 * @param returnvalue the processor's result, or null
 * @param failedReason the last failure, or null
 * @param stacktrace failures' stack traces, or null when none
 * @param timestamp when the job was added (ms)
 * @param processedOn when a worker last took it (ms), or null
 * @param finishedOn when it completed or failed (ms), or null
 * @param executionId the DAG execution it is a node of, or null
 * @param nodeId its DAG node id, or null
 * @param logs its log lines, only with {@code ?logs=true}
 */
public record JobView(String id, String name, String queue, String state, JsonNode data, JsonNode options,
    JsonNode progress, int attempts, int attemptsMade, int attemptsStarted, int priority, long delay,
    JsonNode returnvalue, String failedReason, List<String> stacktrace, long timestamp, Long processedOn,
    Long finishedOn, String executionId, String nodeId, Logs logs) {

  /**
   * A job's log lines.
   *
   * @param count lines stored
   * @param lines the lines, oldest first
   */
  public record Logs(long count, List<String> lines) {}

  /** The view of {@code job}. */
  public static JobView of(String queue, Job job, JobState state, Logs logs) {
    return new JobView(job.id(), job.name(), queue, state.wireName(), job.data(), job.opts(), job.progress(),
        job.attempts(), job.attemptsMade(), job.attemptsStarted(), job.priority(), job.delay(), job.returnValue(),
        job.failedReason(), job.stacktrace().isEmpty() ? null : job.stacktrace(), job.timestamp(),
        job.processedOn(), job.finishedOn(), executionId(job), job.raw().get("dagNode"), logs);
  }

  /** The execution id of a DAG node's job ({@code dagKey = "<p>:dag:<execId>"}), or null. */
  static String executionId(Job job) {
    return DagKeys.executionIdOf(job.raw().get("dagKey"));
  }

  /**
   * One job in a list.
   *
   * @param id the job id
   * @param name the job name
   * @param state the state it was listed from
   * @param priority priority (0 = none)
   * @param queuedAt when it was added (ms)
   * @param attempts total attempts allowed
   * @param attemptsMade attempts made
   * @param executionId the DAG execution it belongs to, or null
   * @param nodeId its DAG node id, or null
   * @param workflowId the workflow of that execution, or null (also once the execution record expired)
   */
  public record Summary(String id, String name, String state, int priority, long queuedAt, int attempts,
      int attemptsMade, String executionId, String nodeId, String workflowId) {

    /** The summary of {@code job}, listed from {@code state}, with workflow ids by {@code dagKey}. */
    public static Summary of(Job job, JobState state, Map<String, String> workflows) {
      String dagKey = job.raw().get("dagKey");
      return new Summary(job.id(), job.name(), state.wireName(), job.priority(), job.timestamp(), job.attempts(),
          job.attemptsMade(), JobView.executionId(job), job.raw().get("dagNode"),
          dagKey == null ? null : workflows.get(dagKey));
    }
  }

  /**
   * A page of jobs.
   *
   * @param jobs the jobs
   * @param total jobs matching (over every state asked for)
   * @param offset as asked
   * @param limit as asked
   * @param truncated true when a name filter stopped after {@value JobsService#MAX_NAME_SCAN} jobs (total counts
   *     the matches among those), else null
   */
  public record Page(List<Summary> jobs, long total, int offset, int limit, Boolean truncated) {}
}
