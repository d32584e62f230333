package dev.corral.broker.dag;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.util.Set;

/**
 * Names of the DAG keys under one prefix (docs/dag.md, "Keys"): {@code <p>:dag:<execId>} and its
 * sub-keys, the index zsets, idempotency keys, the queue counters and the event stream. Node jobs live in
 * their queues under the same prefix. Pure and immutable; thread-safe.
 *
 * @param prefix the key prefix ({@code bull} by default, as the queues')
 */
public record DagKeys(String prefix) {

  /**
   * Names under {@code <p>:dag:} that are not executions; an execution id may not be one of them (ids cannot
   * contain {@code :}, so the {@code status:}, {@code workflow:} and {@code idem:} families cannot clash).
   */
  public static final Set<String> RESERVED_IDS = Set.of("index", "queues", "stream", "cursors", "live", "jobs",
      "expiring");

  /** Validates the prefix (as a queue prefix). */
  public DagKeys {
    QueueKeys.validatePrefix(Checks.notNull(prefix, "prefix")); // same rules as queue prefixes
  }

  /** {@code "<p>:dag:"}: KEYS[1] of the DAG scripts. */
  public String base() {
    return prefix + ":dag:";
  }

  /**
   * The execution id of an execution key {@code <p>:dag:<execId>} (a DAG node's {@code dagKey} field), whatever
   * its prefix; the key itself when it has no {@code :dag:} part; null for null or empty.
   */
  public static String executionIdOf(String executionKey) {
    if (executionKey == null || executionKey.isEmpty()) {
      return null;
    }
    int at = executionKey.lastIndexOf(":dag:");
    return at < 0 ? executionKey : executionKey.substring(at + ":dag:".length());
  }

  /** The execution record hash {@code <p>:dag:<execId>}. */
  public String execution(String execId) {
    return base() + execId;
  }

  /** Node id → node JSON. */
  public String nodes(String execId) {
    return execution(execId) + ":nodes";
  }

  /** Node id → node state. */
  public String state(String execId) {
    return execution(execId) + ":state";
  }

  /** Node id → dependencies not yet finished. */
  public String pending(String execId) {
    return execution(execId) + ":pending";
  }

  /** Node ids waiting for a parallelism slot. */
  public String ready(String execId) {
    return execution(execId) + ":ready";
  }

  /** All executions by creation time. */
  public String index() {
    return base() + "index";
  }

  /** Executions in {@code status} by creation time. */
  public String status(ExecutionStatus status) {
    return base() + "status:" + status.wireName();
  }

  /** Executions of {@code workflowId} by creation time. */
  public String workflow(String workflowId) {
    return base() + "workflow:" + workflowId;
  }

  /** The execution id submitted with {@code key}. */
  public String idempotency(String key) {
    return base() + "idem:" + key;
  }

  /** Queue base key → live executions with nodes in it. */
  public String queues() {
    return base() + "queues";
  }

  /** Queue base key → id of the last entry of its events stream the coordinator handled. */
  public String cursors() {
    return base() + "cursors";
  }

  /** Executions not yet ended (running, or failed / cancelled with nodes still running) by creation time. */
  public String live() {
    return base() + "live";
  }

  /** Job key → {@code "<execId> <nodeId>"} for nodes not yet final (finds the node of a removed job). */
  public String jobs() {
    return base() + "jobs";
  }

  /** Ended executions ({@code "<execId> <workflowId>"}) by expiry time: what the index clean-up visits. */
  public String expiring() {
    return base() + "expiring";
  }

  /** The DAG event stream. */
  public String stream() {
    return base() + "stream";
  }

  /** The keys of the node queue {@code queue} under this prefix. */
  public QueueKeys queue(String queue) {
    return new QueueKeys(prefix, queue);
  }

  /** The queue name of a queue base key {@code "<p>:<queue>:"} under this prefix. */
  public String queueName(String queueBase) {
    String head = prefix + ":";
    if (queueBase.startsWith(head) && queueBase.endsWith(":") && queueBase.length() > head.length() + 1) {
      return queueBase.substring(head.length(), queueBase.length() - 1);
    }
    return queueBase;
  }
}
