package dev.corral.broker.flow;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.ScriptError;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.support.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Adds flows: trees of jobs whose parents wait in {@code waiting-children} until their children (in any queue,
 * under any prefix) are done, stored exactly as BullMQ 6.7.0's FlowProducer stores them, so Node and Java
 * workers can process either side. A whole call (one tree, or every tree of {@link #addBulk}) is one atomic
 * script: either every job is stored or, on an error, none.
 *
 * <p>Unlike a Node {@code Queue}, a FlowProducer writes no queue meta except what the add itself writes
 * ({@code opts.maxLenEvents} when absent), as in BullMQ. Thread-safe; cheap to keep.
 */
public final class FlowProducer {

  private final BrokerClient client;
  private final String prefix;

  /** A producer for queues under the default prefix {@code bull} (a node may name its own prefix). */
  public FlowProducer(BrokerClient client) {
    this(client, QueueKeys.DEFAULT_PREFIX);
  }

  /** A producer whose nodes default to {@code prefix}. */
  public FlowProducer(BrokerClient client, String prefix) {
    this.client = Checks.notNull(client, "client");
    this.prefix = Checks.notEmpty(prefix, "prefix");
  }

  /**
   * Adds one flow.
   *
   * @return the added jobs, in the shape of {@code flow}
   * @throws IllegalArgumentException naming the node path and field (e.g. {@code children[1].name}) of an
   *     invalid value; nothing is written
   * @throws BrokerException when a custom id already belongs to another existing parent
   *     ({@link ScriptError#PARENT_JOB_CANNOT_BE_REPLACED}); nothing is written
   */
  public JobNode add(FlowJob flow) {
    return run(List.of(flow == null ? nullFlow() : flow), List.of("")).get(0);
  }

  /**
   * Adds many flows in one atomic call.
   *
   * @return the added trees, in order
   * @throws IllegalArgumentException naming the node path ({@code flows[2].children[0].queueName}); nothing is
   *     written
   * @throws BrokerException as {@link #add}; nothing is written
   */
  public List<JobNode> addBulk(List<FlowJob> flows) {
    Checks.notNull(flows, "flows");
    if (flows.isEmpty()) {
      return List.of();
    }
    List<String> paths = new ArrayList<>(flows.size());
    for (int i = 0; i < flows.size(); i++) {
      paths.add("flows[" + i + "]");
    }
    return run(new ArrayList<>(flows), paths);
  }

  private static FlowJob nullFlow() {
    throw new IllegalArgumentException("flow cannot be null");
  }

  private List<JobNode> run(List<FlowJob> flows, List<String> paths) {
    FlowArgs args = FlowArgs.build(flows, paths, prefix, client.clock().millis(), () -> UUID.randomUUID().toString());
    List<Object> reply = client.scripts().run(Command.ADD_FLOW, args.routingKey(), args.args());
    if (reply.size() == 2 && reply.get(0) instanceof Long code) {
      FlowArgs.Entry node = args.entries().get(((Long) reply.get(1)).intValue() - 1);
      String at = node.path().isEmpty() ? "the root" : node.path();
      BrokerException e = ScriptError.toException(code, node.keys().job(node.jobId()), "addFlow", null);
      throw new BrokerException(e.error(), at + ": " + e.getMessage());
    }
    List<String> ids = new ArrayList<>(reply.size());
    reply.forEach(id -> ids.add(String.valueOf(id)));
    return args.trees(ids);
  }
}
