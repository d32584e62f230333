package dev.corral.broker.flow;

import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Validates a forest of {@link FlowJob}s and builds the ARGV of {@code addFlow-1.lua}. Pure: no I/O. Nodes are
 * sent breadth first (every root, then their children level by level), the order in which BullMQ's
 * FlowProducer queues its add scripts, so events and wait lists come out in the same order.
 */
final class FlowArgs {

  /** Values per node in the script's ARGV. */
  static final int STRIDE = 18;

  /** One node, flattened: where it sits in the tree and where it goes. */
  record Entry(String path, FlowJob job, QueueKeys keys, String jobId, int parentIndex, List<Integer> children) {}

  private final List<Entry> entries;
  private final List<Integer> roots;
  private final Object[] args;

  private FlowArgs(List<Entry> entries, List<Integer> roots, Object[] args) {
    this.entries = entries;
    this.roots = roots;
    this.args = args;
  }

  /**
   * Validates and flattens {@code flows}.
   *
   * @param rootPaths how to name each root in error messages ({@code ""} for a single flow)
   * @param defaultPrefix the prefix of nodes without their own
   * @param now the timestamp of nodes without their own
   * @param newId the id of a node without a custom id (a UUID v4 in production)
   * @throws IllegalArgumentException naming the node path and field of the first invalid value
   */
  static FlowArgs build(List<FlowJob> flows, List<String> rootPaths, String defaultPrefix, long now,
      Supplier<String> newId) {
    List<Entry> entries = new ArrayList<>();
    List<Integer> roots = new ArrayList<>();
    Map<String, String> pathByKey = new HashMap<>();
    Deque<Pending> queue = new ArrayDeque<>();
    for (int i = 0; i < flows.size(); i++) {
      queue.add(new Pending(flows.get(i), rootPaths.get(i), -1));
    }
    while (!queue.isEmpty()) {
      Pending p = queue.poll();
      if (p.job == null) {
        throw new IllegalArgumentException((p.path.isEmpty() ? "flow" : p.path) + " cannot be null");
      }
      QueueKeys keys = keysOf(p.job, p.path, defaultPrefix);
      check(p.job.name() != null, field(p.path, "name") + " cannot be null");
      String jobId = p.job.options().jobId() != null ? p.job.options().jobId() : newId.get();
      String other = pathByKey.putIfAbsent(keys.job(jobId), p.path);
      check(other == null, "%s '%s' is used twice in the flow (also at %s)", field(p.path, "options.jobId"), jobId,
          other == null || other.isEmpty() ? "the root" : other);
      int index = entries.size();
      entries.add(new Entry(p.path, p.job, keys, jobId, p.parentIndex, new ArrayList<>()));
      if (p.parentIndex < 0) {
        roots.add(index);
      } else {
        entries.get(p.parentIndex).children().add(index);
      }
      List<FlowJob> children = p.job.children();
      for (int c = 0; c < children.size(); c++) {
        queue.add(new Pending(children.get(c), field(p.path, "children[" + c + "]"), index));
      }
    }
    Object[] args = new Object[2 + entries.size() * STRIDE];
    args[0] = String.valueOf(now);
    args[1] = String.valueOf(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      System.arraycopy(group(entries, entries.get(i), now), 0, args, 2 + i * STRIDE, STRIDE);
    }
    return new FlowArgs(List.copyOf(entries), List.copyOf(roots), args);
  }

  private record Pending(FlowJob job, String path, int parentIndex) {}

  private static QueueKeys keysOf(FlowJob job, String path, String defaultPrefix) {
    String prefix = job.prefix() != null ? job.prefix() : defaultPrefix;
    try {
      return new QueueKeys(prefix, job.queueName());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String named = message.startsWith("queueName") || message.startsWith("prefix") ? message
          : "queueName: " + message;
      throw new IllegalArgumentException(path.isEmpty() ? named : path + "." + named, e);
    }
  }

  private static Object[] group(List<Entry> entries, Entry e, long now) {
    JobOptions o = e.job().options();
    String data = Json.write(e.job().data(), field(e.path(), "data"), "{}");
    if (o.sizeLimit() != null) {
      int bytes = data.getBytes(StandardCharsets.UTF_8).length;
      check(bytes <= o.sizeLimit(), "%s is %d bytes, above the job's sizeLimit of %d", field(e.path(), "data"),
          bytes, o.sizeLimit());
    }
    JobParent external = o.parent();
    check(external == null || e.parentIndex() < 0, "%s: a flow child's parent is its flow node; options.parent"
        + " only attaches a flow's root to an existing job", field(e.path(), "options.parent"));
    // a child's parent is its flow node; a root may be attached to an existing job (BullMQ's flow.opts.parent),
    // whose existence the script checks
    Entry flowParent = e.parentIndex() >= 0 ? entries.get(e.parentIndex()) : null;
    JobParent link = flowParent != null ? new JobParent(flowParent.keys(), flowParent.jobId()) : external;
    String opts = o.toWireJson(link);
    String parentKey = link == null ? "" : link.jobKey();
    String parentJson = link == null ? "" : link.childField(o.parentFailurePolicy());
    Deduplication de = o.deduplication();
    // as bullmq 6.7.0, which refuses deduplication on any flow node but a lone root: the FlowProducer on a node
    // with children, the Job's option check on a node with a parent (a deduplicated child would leave its parent
    // waiting for a job that was never added)
    check(de == null || e.parentIndex() < 0, "%s: Deduplication and parent options cannot be used together",
        field(e.path(), "options.deduplication"));
    check(de == null || e.children().isEmpty(), "%s: Deduplication options cannot be used on flow nodes with"
        + " children", field(e.path(), "options.deduplication"));
    return new Object[] {
      e.keys().base(),
      e.jobId(),
      e.job().name(),
      data,
      opts,
      String.valueOf(o.timestamp() != null ? o.timestamp() : now),
      String.valueOf(o.delay()),
      String.valueOf(o.priority()),
      o.lifo() ? "1" : "0",
      de == null ? "" : de.id(),
      de == null || de.ttlMs() == null ? "" : String.valueOf(de.ttlMs()),
      de != null && de.extend() ? "1" : "0",
      de != null && de.replace() ? "1" : "0",
      de != null && de.reschedule() ? "1" : "0",
      de != null && de.keepLastIfActive() ? "1" : "0",
      parentKey,
      parentJson,
      e.children().isEmpty() ? "0" : "1"
    };
  }

  /** The child's {@code parent} field: {@code {"id","queueKey"}} plus the policy flag, as BullMQ stores it. */

  private static String field(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static void check(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(args.length == 0 ? message : String.format(message, args));
    }
  }

  /** The script's ARGV. */
  Object[] args() {
    return args;
  }

  /** The flattened nodes, in the order sent. */
  List<Entry> entries() {
    return entries;
  }

  /** The base key of the first root's queue (the script's KEYS[1]). */
  String routingKey() {
    return entries.get(roots.get(0)).keys().base();
  }

  /** The added trees, one per root, with the ids the script returned (in node order). */
  List<JobNode> trees(List<String> ids) {
    List<JobNode> trees = new ArrayList<>(roots.size());
    roots.forEach(r -> trees.add(tree(r, ids)));
    return trees;
  }

  private JobNode tree(int index, List<String> ids) {
    Entry e = entries.get(index);
    List<JobNode> children = new ArrayList<>(e.children().size());
    e.children().forEach(c -> children.add(tree(c, ids)));
    return new JobNode(e.keys().prefix(), e.keys().queueName(), ids.get(index), children);
  }
}
