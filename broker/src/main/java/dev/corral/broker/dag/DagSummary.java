package dev.corral.broker.dag;

import java.util.Map;

/**
 * One execution in a {@link DagExecutions#list} page: its record without the nodes.
 *
 * @param id the execution id
 * @param workflowId the workflow id
 * @param status the execution status
 * @param createdAt submission time (ms)
 * @param completedAt end time (ms), or {@code null} while running
 * @param total number of nodes
 * @param completed nodes completed
 * @param failed nodes failed
 */
public record DagSummary(String id, String workflowId, ExecutionStatus status, long createdAt, Long completedAt,
    int total, int completed, int failed) {

  static DagSummary fromRecord(String id, Map<String, String> record) {
    String completedAt = record.get("completedAt");
    return new DagSummary(id, record.get("workflowId"), ExecutionStatus.fromWireName(record.get("status")),
        Long.parseLong(record.getOrDefault("createdAt", "0")),
        completedAt == null || completedAt.isEmpty() ? null : Long.parseLong(completedAt),
        Integer.parseInt(record.getOrDefault("total", "0")), Integer.parseInt(record.getOrDefault("completed", "0")),
        Integer.parseInt(record.getOrDefault("failed", "0")));
  }
}
