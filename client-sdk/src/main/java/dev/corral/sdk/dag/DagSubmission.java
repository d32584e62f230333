package dev.corral.sdk.dag;

import dev.corral.broker.JobOptions;
import dev.corral.broker.dag.Dag;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.DagValidationException;
import dev.corral.broker.dag.FailurePolicy;
import java.time.Duration;

/**
 * The fluent entry of {@link DagClient#builder(String)}: the broker's {@link Dag.Builder} (every method
 * forwards to it; the rules and the validation are the builder's) ending in {@link #submit()}.
 *
 * <pre>{@code
 * String execId = dags.builder("nightly-etl")
 *     .node("extract").queue("etl").data(Map.of("day", "2026-01-01"))
 *     .node("clean").queue("etl").dependsOn("extract")
 *     .node("load").queue("load").dependsOn("clean")
 *     .submit();
 * }</pre>
 *
 * <p>Node methods apply to the node last started with {@link #node(String)}. Not thread-safe.
 */
public final class DagSubmission {

  private final DagClient client;
  private final Dag.Builder builder;

  DagSubmission(DagClient client, String workflowId) {
    this.client = client;
    this.builder = Dag.builder(workflowId);
  }

  /** Starts a node; see {@link Dag.Builder#node(String)}. */
  public DagSubmission node(String id) {
    builder.node(id);
    return this;
  }

  /** The current node's queue. */
  public DagSubmission queue(String queue) {
    builder.queue(queue);
    return this;
  }

  /** The current node's job name (default: the node id). */
  public DagSubmission jobName(String name) {
    builder.jobName(name);
    return this;
  }

  /** The current node's job data. */
  public DagSubmission data(Object data) {
    builder.data(data);
    return this;
  }

  /** The current node's job options. */
  public DagSubmission options(JobOptions options) {
    builder.options(options);
    return this;
  }

  /** Adds dependencies to the current node. */
  public DagSubmission dependsOn(String... nodeIds) {
    builder.dependsOn(nodeIds);
    return this;
  }

  /** The current node's failure policy (default: the DAG's). */
  public DagSubmission failurePolicy(FailurePolicy policy) {
    builder.failurePolicy(policy);
    return this;
  }

  /** The execution id (default: a UUID generated at submission). */
  public DagSubmission executionId(String id) {
    builder.executionId(id);
    return this;
  }

  /** A display name for the workflow. */
  public DagSubmission workflowName(String name) {
    builder.workflowName(name);
    return this;
  }

  /** Most nodes released and unfinished at once (0, the default, = unlimited). */
  public DagSubmission parallelism(int parallelism) {
    builder.parallelism(parallelism);
    return this;
  }

  /** A key that makes resubmission return the first execution instead of starting another. */
  public DagSubmission idempotencyKey(String key) {
    builder.idempotencyKey(key);
    return this;
  }

  /** The failure policy of nodes that set none (default fail). */
  public DagSubmission defaultFailurePolicy(FailurePolicy policy) {
    builder.defaultFailurePolicy(policy);
    return this;
  }

  /** How long the execution record stays after the execution ends (default 7 days). */
  public DagSubmission retention(Duration retention) {
    builder.retention(retention);
    return this;
  }

  /** The limits {@link #build()} checks against (default {@link DagLimits#defaults()}). */
  public DagSubmission limits(DagLimits limits) {
    builder.limits(limits);
    return this;
  }

  /**
   * Builds and validates the specification without submitting it.
   *
   * @throws DagValidationException listing every problem found
   */
  public DagSpec build() {
    return builder.build();
  }

  /**
   * Builds, validates and submits the execution (see {@link DagClient#submit(DagSpec)}).
   *
   * @return the execution id; with an idempotency key already used, the first execution's id
   * @throws DagValidationException listing every problem found (nothing written)
   */
  public String submit() {
    return client.submit(build());
  }
}
