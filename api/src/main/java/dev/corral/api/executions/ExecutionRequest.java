package dev.corral.api.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.jobs.JobOptionsParser;
import dev.corral.api.requests.Problems;
import dev.corral.broker.JobOptions;
import dev.corral.broker.dag.DagNode;
import dev.corral.broker.dag.DagProblem;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.DagValidationException;
import dev.corral.broker.dag.DagValidator;
import dev.corral.broker.dag.FailurePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Parses the body of {@code POST /api/executions} into a {@link DagSpec} and checks it with the broker's
 * {@link DagValidator}, so one 400 lists every problem: JSON shape and types (unknown fields included) and
 * the DAG's own rules (unknown dependencies, cycles, ...), each {@code {field, node, message}} with the
 * client's snake_case field names. Pure; thread-safe.
 */
public final class ExecutionRequest {

  /** Longest retention accepted: 365 days. */
  public static final long MAX_RETENTION_SECONDS = 365L * 24 * 3600;

  private static final Set<String> FIELDS = Set.of("execution_id", "workflow_id", "workflow_name", "parallelism",
      "idempotency_key", "default_policy", "retention_seconds", "nodes");
  private static final Set<String> NODE_FIELDS = Set.of("id", "queue", "job_name", "data", "options",
      "depends_on", "failure_policy");

  private ExecutionRequest() {}

  /**
   * The spec in {@code body}, with an execution id generated when it has none (so a reused idempotency key
   * shows as a different id coming back).
   *
   * @throws dev.corral.api.errors.ApiException 400 listing every problem
   */
  public static DagSpec parse(JsonNode body) {
    Problems p = new Problems();
    p.unknownFields(body, "", FIELDS, null);
    String execId = p.string(body, "", "execution_id", null);
    String workflowId = p.string(body, "", "workflow_id", null);
    String workflowName = p.string(body, "", "workflow_name", null);
    Long parallelism = p.integer(body, "", "parallelism", 0, 1_000_000, null);
    String idem = p.string(body, "", "idempotency_key", null);
    FailurePolicy defaultPolicy = policy(p, body, "", "default_policy", null);
    Long retention = p.integer(body, "", "retention_seconds", 1, MAX_RETENTION_SECONDS, null);
    List<DagNode> nodes = new ArrayList<>();
    JsonNode list = Problems.field(body, "nodes");
    if (list == null) {
      p.add("nodes", "nodes is required: a list of {id, queue, depends_on, ...}");
    } else if (!list.isArray()) {
      p.add("nodes", "nodes must be a list");
    } else {
      for (int i = 0; i < list.size(); i++) {
        nodes.add(node(p, list.get(i), "nodes[" + i + "]"));
      }
    }
    DagSpec spec = new DagSpec(execId != null ? execId : UUID.randomUUID().toString(), workflowId, workflowName,
        nodes, parallelism == null ? 0 : parallelism.intValue(), idem, defaultPolicy,
        retention == null ? null : Duration.ofSeconds(retention));
    try {
      new DagValidator().validate(spec);
    } catch (DagValidationException e) {
      for (DagProblem problem : e.problems()) {
        String field = snake(problem.field());
        if (!p.has(field)) { // a value of the wrong type was left out of the spec: already reported
          p.add(field, problem.node(), problem.message());
        }
      }
    }
    p.throwIfAny();
    return spec;
  }

  private static DagNode node(Problems p, JsonNode node, String at) {
    if (node == null || !node.isObject()) {
      p.add(at, "a node must be an object");
      return null;
    }
    String id = p.string(node, at, "id", null);
    p.unknownFields(node, at, NODE_FIELDS, id);
    String queue = p.string(node, at, "queue", id);
    String jobName = p.string(node, at, "job_name", id);
    JsonNode data = Problems.field(node, "data");
    JobOptions options = JobOptionsParser.parse(Problems.field(node, "options"), at + ".options", id, p);
    List<String> deps = new ArrayList<>();
    JsonNode dependsOn = Problems.field(node, "depends_on");
    if (dependsOn != null && !dependsOn.isArray()) {
      p.add(at + ".depends_on", id, "depends_on must be a list of node ids");
    } else if (dependsOn != null) {
      for (JsonNode dep : dependsOn) {
        if (dep.isTextual()) {
          deps.add(dep.asText());
        } else {
          p.add(at + ".depends_on", id, "depends_on must hold node ids (strings), found " + dep);
        }
      }
    }
    FailurePolicy policy = policy(p, node, at, "failure_policy", id);
    return new DagNode(id, queue, jobName, data, options, deps, policy);
  }

  private static FailurePolicy policy(Problems p, JsonNode object, String at, String name, String node) {
    String value = p.string(object, at, name, node);
    if (value == null) {
      return null;
    }
    try {
      return FailurePolicy.fromWireName(value);
    } catch (IllegalArgumentException e) {
      p.add(Problems.join(at, name), node, name + " must be fail, continue or skip, was '" + value + "'");
      return null;
    }
  }

  /**
   * The broker's field name in the API's spelling: {@code nodes[2].dependsOn} is {@code nodes[2].depends_on},
   * {@code retention} is {@code retention_seconds}.
   */
  static String snake(String field) {
    if (field.equals("retention")) {
      return "retention_seconds";
    }
    if (field.equals("defaultPolicy")) {
      return "default_policy";
    }
    StringBuilder out = new StringBuilder(field.length() + 8);
    for (char c : field.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
