package dev.corral.broker.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The status of one execution as read by {@link DagExecutions#get(String)}: its record, totals and nodes.
 *
 * @param id the execution id
 * @param workflowId the workflow id
 * @param workflowName the display name, or {@code null}
 * @param status the execution status
 * @param parallelism most nodes released at once (0 = unlimited)
 * @param defaultPolicy the failure policy of nodes without their own
 * @param idempotencyKey the idempotency key, or {@code null}
 * @param createdAt submission time (ms)
 * @param startedAt when the execution started running (ms; its roots are released at submission, so it
 *     equals createdAt today), or {@code null} when the record has none
 * @param completedAt end time (ms), or {@code null} while running
 * @param totals node counts
 * @param nodes every node, by node id
 */
public record DagExecution(String id, String workflowId, String workflowName, ExecutionStatus status,
    int parallelism, FailurePolicy defaultPolicy, String idempotencyKey, long createdAt, Long startedAt,
    Long completedAt, DagTotals totals, List<DagNodeStatus> nodes) {

  /** The node {@code nodeId}, or {@code null}. */
  public DagNodeStatus node(String nodeId) {
    return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst().orElse(null);
  }

  /**
   * Decodes the reply of {@code dagGet}: the record hash and the per-node rows. Pure.
   *
   * @param keys to turn queue base keys into queue names
   */
  static DagExecution decode(String id, Map<String, String> record, List<?> rows, DagKeys keys) {
    List<DagNodeStatus> nodes = new ArrayList<>(rows.size());
    int waiting = 0;
    int running = 0;
    int[] finished = new int[NodeState.values().length];
    for (Object o : rows) {
      List<?> row = (List<?>) o;
      JsonNode entry = Json.parseLenient(String.valueOf(row.get(1)));
      NodeState state = NodeState.fromWireName(String.valueOf(row.get(2)));
      DagNodeStatus node = new DagNodeStatus(String.valueOf(row.get(0)), state,
          keys.queueName(entry.path("queue").asText()), entry.path("jobId").asText(), number(row.get(3)),
          number(row.get(4)), number(row.get(5)));
      nodes.add(node);
      if (node.running()) {
        running++;
      } else if (state == NodeState.HELD || state == NodeState.RELEASED) {
        waiting++;
      } else {
        finished[state.ordinal()]++;
      }
    }
    nodes.sort(Comparator.comparing(DagNodeStatus::id));
    DagTotals totals = new DagTotals(nodes.size(), waiting, running, finished[NodeState.COMPLETED.ordinal()],
        finished[NodeState.FAILED.ordinal()], finished[NodeState.SKIPPED.ordinal()],
        finished[NodeState.CANCELLED.ordinal()]);
    return new DagExecution(id, record.get("workflowId"), emptyToNull(record.get("workflowName")),
        ExecutionStatus.fromWireName(record.get("status")), Integer.parseInt(record.getOrDefault("parallelism", "0")),
        FailurePolicy.fromWireName(record.getOrDefault("policy", "fail")), emptyToNull(record.get("idempotencyKey")),
        Long.parseLong(record.getOrDefault("createdAt", "0")), number(record.get("startedAt")),
        number(record.get("completedAt")), totals,
        List.copyOf(nodes));
  }

  private static Long number(Object value) {
    if (value == null || "".equals(value)) {
      return null;
    }
    return Long.parseLong(String.valueOf(value));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
