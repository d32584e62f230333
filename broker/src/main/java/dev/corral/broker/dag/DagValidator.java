package dev.corral.broker.dag;

import dev.corral.broker.JobOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.graph.AbstractBaseGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DefaultGraphSpecificsStrategy;
import org.jgrapht.graph.DefaultGraphType;
import org.jgrapht.util.SupplierUtil;

/**
 * Checks a {@link DagSpec} before anything is written and reports every problem, each naming its field and
 * node: empty graph, bad or duplicate ids, unknown, repeated or self dependencies, a dependency cycle (as one
 * path {@code a → b → c → a}, found with JGraphT), limits, bad queue names and job options a DAG node may not have. Pure; thread-safe.
 */
public final class DagValidator {

  /** What execution, workflow and node ids must match. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Longest workflow name and idempotency key accepted. */
  public static final int MAX_TEXT_LENGTH = 256;

  private final DagLimits limits;

  /** A validator with {@code limits}. */
  public DagValidator(DagLimits limits) {
    this.limits = Checks.notNull(limits, "limits");
  }

  /** A validator with {@link DagLimits#defaults()}. */
  public DagValidator() {
    this(DagLimits.defaults());
  }

  /**
   * Validates {@code spec}.
   *
   * @return the spec with each node's data JSON and dependents
   * @throws DagValidationException listing every problem found
   */
  public ValidatedDag validate(DagSpec spec) {
    Checks.notNull(spec, "spec");
    List<DagProblem> problems = new ArrayList<>();
    checkExecution(spec, problems);
    List<DagNode> nodes = spec.nodes();
    if (nodes.isEmpty()) {
      problems.add(new DagProblem("nodes", null, "the DAG has no nodes"));
    }
    if (nodes.size() > limits.maxNodes()) {
      problems.add(new DagProblem("nodes", null,
          "the DAG has " + nodes.size() + " nodes, above the limit of " + limits.maxNodes()));
    }
    Map<String, Integer> indexById = indexNodes(nodes, problems);
    List<String> dataJson = new ArrayList<>(nodes.size());
    long dataBytes = 0;
    Set<String> customJobIds = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      DagNode node = nodes.get(i);
      if (node == null) {
        dataJson.add("{}");
        continue;
      }
      checkNode(i, node, customJobIds, problems);
      String json = serialise(i, node, problems);
      dataJson.add(json);
      dataBytes += json.getBytes(StandardCharsets.UTF_8).length;
      checkDependencies(i, node, indexById, problems);
    }
    if (dataBytes > limits.maxDataBytes()) {
      problems.add(new DagProblem("nodes[].data", null,
          "node data totals " + dataBytes + " bytes, above the limit of " + limits.maxDataBytes()));
    }
    Map<String, List<String>> dependents = dependents(nodes, indexById);
    findCycle(nodes, indexById, problems);
    if (!problems.isEmpty()) {
      throw new DagValidationException(problems);
    }
    return new ValidatedDag(spec, List.copyOf(dataJson), dependents, dataBytes);
  }

  private static void checkExecution(DagSpec spec, List<DagProblem> problems) {
    checkId(spec.workflowId(), "workflowId", null, problems);
    if (spec.executionId() != null) {
      checkId(spec.executionId(), "executionId", null, problems);
      if (DagKeys.RESERVED_IDS.contains(spec.executionId())) {
        problems.add(new DagProblem("executionId", null, "executionId cannot be one of " + DagKeys.RESERVED_IDS
            + " (key names of the DAG index), was '" + spec.executionId() + "'"));
      }
    }
    checkText(spec.workflowName(), "workflowName", problems);
    checkText(spec.idempotencyKey(), "idempotencyKey", problems);
    if (spec.idempotencyKey() != null && spec.idempotencyKey().isEmpty()) {
      problems.add(new DagProblem("idempotencyKey", null, "idempotencyKey cannot be empty (use null for none)"));
    }
    if (spec.parallelism() < 0) {
      problems.add(new DagProblem("parallelism", null,
          "parallelism must be >= 0 (0 = unlimited), was " + spec.parallelism()));
    }
    if (spec.retention().compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add(new DagProblem("retention", null, "retention must be at least 1 second, was " + spec.retention()));
    }
  }

  private static void checkId(String id, String field, String node, List<DagProblem> problems) {
    if (id == null) {
      problems.add(new DagProblem(field, node, field + " is required"));
    } else if (!ID.matcher(id).matches()) {
      problems.add(new DagProblem(field, node,
          field + " must match " + ID.pattern() + ", was '" + printable(id) + "'"));
    }
  }

  private static void checkText(String text, String field, List<DagProblem> problems) {
    if (text == null) {
      return;
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      problems.add(new DagProblem(field, null,
          field + " must be at most " + MAX_TEXT_LENGTH + " characters, was " + text.length()));
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      problems.add(new DagProblem(field, null, field + " cannot contain control characters"));
    }
  }

  /** Node id → first index; reports null nodes, bad ids and duplicates. */
  private static Map<String, Integer> indexNodes(List<DagNode> nodes, List<DagProblem> problems) {
    Map<String, Integer> indexById = new HashMap<>(nodes.size() * 2);
    for (int i = 0; i < nodes.size(); i++) {
      DagNode node = nodes.get(i);
      if (node == null) {
        problems.add(new DagProblem("nodes[" + i + "]", null, "node cannot be null"));
        continue;
      }
      checkId(node.id(), "nodes[" + i + "].id", node.id(), problems);
      if (node.id() == null) {
        continue;
      }
      Integer first = indexById.putIfAbsent(node.id(), i);
      if (first != null) {
        problems.add(new DagProblem("nodes[" + i + "].id", node.id(),
            "duplicate node id '" + node.id() + "' (also nodes[" + first + "])"));
      }
    }
    return indexById;
  }

  private static void checkNode(int i, DagNode node, Set<String> customJobIds, List<DagProblem> problems) {
    String at = "nodes[" + i + "]";
    if (node.queue() == null) {
      problems.add(new DagProblem(at + ".queue", node.id(), "queue is required"));
    } else {
      try {
        QueueKeys.validateQueueName(node.queue());
      } catch (IllegalArgumentException e) {
        problems.add(new DagProblem(at + ".queue", node.id(), e.getMessage()));
      }
    }
    JobOptions o = node.options();
    if (o.removeOnComplete() != null) {
      problems.add(new DagProblem(at + ".options.removeOnComplete", node.id(), "removeOnComplete is not allowed "
          + "on a DAG node: its result must stay readable by its dependents (the execution's retention governs)"));
    }
    if (o.removeOnFail() != null) {
      problems.add(new DagProblem(at + ".options.removeOnFail", node.id(), "removeOnFail is not allowed on a "
          + "DAG node: its failure must stay readable by its dependents (the execution's retention governs)"));
    }
    if (o.deduplication() != null) {
      problems.add(new DagProblem(at + ".options.deduplication", node.id(),
          "deduplication is not allowed on a DAG node: every node must be its own job"));
    }
    if (o.jobId() != null && node.queue() != null && !customJobIds.add(node.queue() + "\u0000" + o.jobId())) {
      problems.add(new DagProblem(at + ".options.jobId", node.id(),
          "job id '" + o.jobId() + "' is used by another node of queue '" + node.queue() + "'"));
    }
  }

  private static String serialise(int i, DagNode node, List<DagProblem> problems) {
    String field = "nodes[" + i + "].data";
    String json;
    try {
      json = Json.write(node.data(), field, "{}");
    } catch (IllegalArgumentException e) {
      problems.add(new DagProblem(field, node.id(), e.getMessage()));
      return "{}";
    }
    Integer sizeLimit = node.options().sizeLimit();
    if (sizeLimit != null) {
      int bytes = json.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > sizeLimit) {
        problems.add(new DagProblem(field, node.id(),
            field + " is " + bytes + " bytes, above the job's sizeLimit of " + sizeLimit));
      }
    }
    return json;
  }

  private static void checkDependencies(int i, DagNode node, Map<String, Integer> indexById,
      List<DagProblem> problems) {
    String field = "nodes[" + i + "].dependsOn";
    Set<String> seen = new HashSet<>();
    for (String dep : node.dependsOn()) {
      if (dep == null) {
        problems.add(new DagProblem(field, node.id(), "a dependency cannot be null"));
      } else if (dep.equals(node.id())) {
        problems.add(new DagProblem(field, node.id(), "node '" + dep + "' depends on itself"));
      } else if (!indexById.containsKey(dep)) {
        problems.add(new DagProblem(field, node.id(), "unknown dependency '" + printable(dep) + "'"));
      } else if (!seen.add(dep)) {
        problems.add(new DagProblem(field, node.id(), "dependency '" + dep + "' is listed twice"));
      }
    }
  }

  /** Dependents per node id over the valid edges, each list in node order. */
  private static Map<String, List<String>> dependents(List<DagNode> nodes, Map<String, Integer> indexById) {
    Map<String, List<String>> dependents = new LinkedHashMap<>(nodes.size() * 2);
    for (DagNode node : nodes) {
      if (node != null && node.id() != null) {
        dependents.putIfAbsent(node.id(), new ArrayList<>());
      }
    }
    for (DagNode node : nodes) {
      if (node == null || node.id() == null) {
        continue;
      }
      for (String dep : new java.util.LinkedHashSet<>(node.dependsOn())) {
        if (dep != null && !dep.equals(node.id()) && indexById.containsKey(dep)) {
          dependents.get(dep).add(node.id());
        }
      }
    }
    dependents.replaceAll((id, list) -> List.copyOf(list));
    return dependents;
  }

  /**
   * Builds the graph of valid edges (dependency → dependent, vertices are node indexes); when JGraphT's
   * {@link CycleDetector} finds a cycle, reports one as a path: from the first node (in node order) on a cycle,
   * through a successor on a cycle, back to it.
   */
  private static void findCycle(List<DagNode> nodes, Map<String, Integer> indexById, List<DagProblem> problems) {
    Graph<Integer, DefaultEdge> graph = new DependencyGraph();
    indexById.values().forEach(graph::addVertex);
    for (DagNode node : nodes) {
      if (node == null || node.id() == null) {
        continue;
      }
      Integer to = indexById.get(node.id());
      for (String dep : node.dependsOn()) {
        Integer from = dep == null ? null : indexById.get(dep);
        if (from != null && !from.equals(to)) {
          graph.addEdge(from, to);
        }
      }
    }
    CycleDetector<Integer, DefaultEdge> detector = new CycleDetector<>(graph);
    if (!detector.detectCycles()) {
      return;
    }
    Set<Integer> onCycles = detector.findCycles();
    for (int i = 0; i < nodes.size(); i++) {
      String start = nodes.get(i) == null ? null : nodes.get(i).id();
      if (start == null || !onCycles.contains(i) || indexById.get(start) != i) {
        continue;
      }
      for (DefaultEdge out : graph.outgoingEdgesOf(i)) {
        GraphPath<Integer, DefaultEdge> back = BFSShortestPath.findPathBetween(graph, graph.getEdgeTarget(out), i);
        if (back != null) {
          List<String> path = new ArrayList<>();
          path.add(start);
          back.getVertexList().forEach(v -> path.add(nodes.get(v).id()));
          String closing = path.get(path.size() - 2); // the node after which the cycle returns to start
          problems.add(new DagProblem("nodes[" + i + "].dependsOn", start, "dependency cycle "
              + String.join(" → ", path) + " ('" + start + "' depends on '" + closing + "'; each node depends on the "
              + "one before it)"));
          return;
        }
      }
    }
  }

  /**
   * A directed multigraph without JGraphT's edge lookup index: repeated dependencies are reported separately
   * and do not change cycles, so the graph need not refuse parallel edges, and skipping the index makes
   * building a 10 000-node graph several times faster.
   */
  private static final class DependencyGraph extends AbstractBaseGraph<Integer, DefaultEdge> {
    private static final long serialVersionUID = 1L;

    DependencyGraph() {
      super(null, SupplierUtil.DEFAULT_EDGE_SUPPLIER, DefaultGraphType.directedMultigraph(),
          new DefaultGraphSpecificsStrategy<>());
    }
  }

  private static String printable(String s) {
    String shown = s.length() > 140 ? s.substring(0, 140) + "…" : s;
    StringBuilder out = new StringBuilder(shown.length());
    shown.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
