package dev.corral.broker.flow;

import dev.corral.broker.JobOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One node of a flow: a job and the children it waits for. A node with children is stored in
 * {@code waiting-children} and runs once its children are done; a leaf is stored as a normal job. Children may
 * live in other queues and under other prefixes. Immutable; validated when added (errors name the node path,
 * e.g. {@code children[1].children[0].queueName}).
 *
 * @param queueName the queue the job goes to
 * @param name the job name
 * @param data the job data: any value Jackson can serialise, a {@code JsonNode}, or null for {@code {}}
 * @param options the job options ({@code null} for the defaults); {@code jobId} unset gives a UUID v4 id, as
 *     BullMQ's FlowProducer does; a child's parent failure policy is set here too
 * @param prefix the key prefix of the node's queue, or {@code null} for the producer's prefix
 * @param children the jobs this one waits for (empty for a leaf)
 */
public record FlowJob(String queueName, String name, Object data, JobOptions options, String prefix,
    List<FlowJob> children) {

  /** Fills the defaults: options, an empty children list; the list is copied (nulls are reported when added). */
  public FlowJob {
    options = options == null ? JobOptions.defaults() : options;
    children = children == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(children));
  }

  /** A leaf job with default options in {@code queueName}. */
  public static FlowJob of(String queueName, String name, Object data) {
    return new FlowJob(queueName, name, data, null, null, null);
  }

  /** This job with {@code value} as its options. */
  public FlowJob withOptions(JobOptions value) {
    return new FlowJob(queueName, name, data, value, prefix, children);
  }

  /** This job under the key prefix {@code value}. */
  public FlowJob withPrefix(String value) {
    return new FlowJob(queueName, name, data, options, value, children);
  }

  /** This job waiting for {@code value}. */
  public FlowJob withChildren(FlowJob... value) {
    return withChildren(value == null ? null : Arrays.asList(value));
  }

  /** This job waiting for {@code value}. */
  public FlowJob withChildren(List<FlowJob> value) {
    return new FlowJob(queueName, name, data, options, prefix, value);
  }
}
