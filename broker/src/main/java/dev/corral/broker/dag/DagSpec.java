package dev.corral.broker.dag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A DAG execution to submit. Build one with {@link Dag#builder(String)}; {@link DagValidator} checks it (the
 * constructor only normalises, so that every problem can be reported at once).
 *
 * @param executionId the execution id ({@code [A-Za-z0-9._-]{1,128}}), or {@code null} for a generated UUID
 * @param workflowId what the execution runs, {@code [A-Za-z0-9._-]{1,128}}
 * @param workflowName display name, or {@code null}
 * @param nodes the nodes, in the order roots are released
 * @param parallelism most nodes released and not yet finished at once; 0 = unlimited
 * @param idempotencyKey a submission with the same key returns the first execution's id, or {@code null}
 * @param defaultPolicy the failure policy of nodes without their own ({@code null} means fail)
 * @param retention how long the execution record is kept after the execution ends ({@code null} means 7 days)
 */
public record DagSpec(String executionId, String workflowId, String workflowName, List<DagNode> nodes,
    int parallelism, String idempotencyKey, FailurePolicy defaultPolicy, Duration retention) {

  /** Default retention of a finished execution: 7 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Normalises nulls and copies the node list. */
  public DagSpec {
    nodes = nodes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(nodes));
    defaultPolicy = defaultPolicy == null ? FailurePolicy.FAIL : defaultPolicy;
    retention = retention == null ? DEFAULT_RETENTION : retention;
  }
}
