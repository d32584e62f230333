package dev.corral.broker.dag;

import dev.corral.broker.JobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the fluent DAG builder:
 *
 * <pre>{@code
 * DagSpec spec = Dag.builder("nightly-etl")
 *     .node("extract").queue("etl").data(Map.of("day", "2026-01-01"))
 *     .node("clean").queue("etl").dependsOn("extract")
 *     .node("load").queue("load").dependsOn("clean").failurePolicy(FailurePolicy.CONTINUE)
 *     .parallelism(4).idempotencyKey("etl-2026-01-01")
 *     .build();
 * }</pre>
 */
public final class Dag {

  private Dag() {}

  /** A builder for an execution of {@code workflowId}. */
  public static Builder builder(String workflowId) {
    return new Builder(workflowId);
  }

  /**
   * Builds a {@link DagSpec}. Node methods ({@link #queue}, {@link #jobName}, {@link #data}, {@link #options},
   * {@link #dependsOn}, {@link #failurePolicy}) apply to the node last started with {@link #node(String)}; the
   * others to the whole DAG. Nothing is checked before {@link #build()}, which reports every problem at once.
   * Not thread-safe.
   */
  public static final class Builder {
    private final String workflowId;
    private final List<NodeDraft> nodes = new ArrayList<>();
    private NodeDraft current;
    private String executionId;
    private String workflowName;
    private int parallelism;
    private String idempotencyKey;
    private FailurePolicy defaultPolicy = FailurePolicy.FAIL;
    private Duration retention = DagSpec.DEFAULT_RETENTION;
    private DagLimits limits = DagLimits.defaults();

    private Builder(String workflowId) {
      this.workflowId = workflowId;
    }

    /** Starts a node; the node methods that follow apply to it. */
    public Builder node(String id) {
      current = new NodeDraft(id);
      nodes.add(current);
      return this;
    }

    /** The current node's queue. */
    public Builder queue(String queue) {
      current("queue").queue = queue;
      return this;
    }

    /** The current node's job name (default: the node id). */
    public Builder jobName(String name) {
      current("jobName").jobName = name;
      return this;
    }

    /** The current node's job data. */
    public Builder data(Object data) {
      current("data").data = data;
      return this;
    }

    /** The current node's job options. */
    public Builder options(JobOptions options) {
      current("options").options = options;
      return this;
    }

    /** Adds dependencies to the current node. */
    public Builder dependsOn(String... nodeIds) {
      NodeDraft node = current("dependsOn");
      if (nodeIds == null) {
        node.dependsOn.add(null);
      } else {
        node.dependsOn.addAll(java.util.Arrays.asList(nodeIds));
      }
      return this;
    }

    /** The current node's failure policy (default: the DAG's). */
    public Builder failurePolicy(FailurePolicy policy) {
      current("failurePolicy").failurePolicy = policy;
      return this;
    }

    /** The execution id (default: a UUID generated at submission). */
    public Builder executionId(String id) {
      this.executionId = id;
      return this;
    }

    /** A display name for the workflow. */
    public Builder workflowName(String name) {
      this.workflowName = name;
      return this;
    }

    /** Most nodes released and unfinished at once (0, the default, = unlimited). */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /** A key that makes resubmission return the first execution instead of starting another. */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    /** The failure policy of nodes that set none (default fail). */
    public Builder defaultFailurePolicy(FailurePolicy policy) {
      this.defaultPolicy = policy;
      return this;
    }

    /** How long the execution record stays after the execution ends (default 7 days). */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /** The limits {@link #build()} checks against (default {@link DagLimits#defaults()}). */
    public Builder limits(DagLimits limits) {
      this.limits = limits;
      return this;
    }

    /**
     * Builds and validates the specification.
     *
     * @throws DagValidationException listing every problem found
     */
    public DagSpec build() {
      List<DagNode> built = nodes.stream().map(NodeDraft::toNode).toList();
      DagSpec spec = new DagSpec(executionId, workflowId, workflowName, built, parallelism, idempotencyKey,
          defaultPolicy, retention);
      new DagValidator(limits).validate(spec);
      return spec;
    }

    private NodeDraft current(String method) {
      if (current == null) {
        throw new IllegalStateException(method + "(...) applies to a node: call node(id) first");
      }
      return current;
    }
  }

  private static final class NodeDraft {
    private final String id;
    private final List<String> dependsOn = new ArrayList<>();
    private String queue;
    private String jobName;
    private Object data;
    private JobOptions options;
    private FailurePolicy failurePolicy;

    private NodeDraft(String id) {
      this.id = id;
    }

    private DagNode toNode() {
      return new DagNode(id, queue, jobName, data, options, dependsOn, failurePolicy);
    }
  }
}
