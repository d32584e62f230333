package dev.corral.broker.dag;

import dev.corral.broker.JobOptions;
import dev.corral.broker.support.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the ARGV of {@code dagSubmit-1.lua} from a validated DAG. Pure: no I/O; every value a string.
 */
final class DagSubmitArgs {

  /** Values before the node groups. */
  static final int HEADER = 9;

  /** Values per node. */
  static final int STRIDE = 12;

  private DagSubmitArgs() {}

  /**
   * The ARGV for submitting {@code dag} as execution {@code execId} at {@code now}, node queues under
   * {@code keys}' prefix.
   */
  static Object[] build(ValidatedDag dag, String execId, DagKeys keys, long now) {
    DagSpec spec = dag.spec();
    List<DagNode> nodes = spec.nodes();
    Object[] args = new Object[HEADER + nodes.size() * STRIDE];
    args[0] = execId;
    args[1] = String.valueOf(now);
    args[2] = spec.workflowId();
    args[3] = spec.workflowName() == null ? "" : spec.workflowName();
    args[4] = String.valueOf(spec.parallelism());
    args[5] = spec.defaultPolicy().wireName();
    args[6] = String.valueOf(Math.max(1, spec.retention().toSeconds()));
    args[7] = spec.idempotencyKey() == null ? "" : spec.idempotencyKey();
    args[8] = String.valueOf(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      DagNode node = nodes.get(i);
      JobOptions o = node.options();
      String queueBase = keys.queue(node.queue()).base();
      int at = HEADER + i * STRIDE;
      args[at] = node.id();
      args[at + 1] = queueBase;
      args[at + 2] = o.jobId() == null ? "" : o.jobId();
      args[at + 3] = node.jobName();
      args[at + 4] = dag.dataJson().get(i);
      args[at + 5] = o.toWireJson();
      args[at + 6] = String.valueOf(o.timestamp() != null ? o.timestamp() : now);
      args[at + 7] = String.valueOf(o.delay());
      args[at + 8] = String.valueOf(o.priority());
      args[at + 9] = o.lifo() ? "1" : "0";
      args[at + 10] = String.valueOf(node.dependsOn().size());
      args[at + 11] = nodeJsonTail(queueBase, node, dag.dependents().get(node.id()),
          node.effectivePolicy(spec.defaultPolicy()));
    }
    return args;
  }

  /**
   * The node table entry without its opening brace and job id, which the script prepends once the job id is
   * known: {@code "queue":"bull:etl:","deps":[..],"dependents":[..],"policy":"fail"}}.
   */
  static String nodeJsonTail(String queueBase, DagNode node, List<String> dependents, FailurePolicy policy) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("queue", queueBase);
    entry.put("deps", node.dependsOn());
    entry.put("dependents", dependents);
    entry.put("policy", policy.wireName());
    return Json.write(entry, "node", "{}").substring(1);
  }
}
