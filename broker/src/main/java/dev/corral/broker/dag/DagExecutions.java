package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.support.Checks;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RMapAsync;
import org.redisson.client.codec.StringCodec;

/**
 * Submits, reads, lists and cancels DAG executions (docs/dag.md) under one key prefix. Every state change is
 * one atomic script; nodes are ordinary BullMQ jobs in their queues (same prefix).
 *
 * <p>Thread-safe; cheap to keep. Create with {@link #create(BrokerClient)}.
 */
public final class DagExecutions {

  /** Largest page {@link #list} returns. */
  public static final int MAX_PAGE = 1000;

  private final BrokerClient client;
  private final ScriptRunner scripts;
  private final DagKeys keys;
  private final DagValidator validator;

  private DagExecutions(BrokerClient client, DagKeys keys, DagLimits limits) {
    this.client = client;
    this.scripts = client.scripts();
    this.keys = keys;
    this.validator = new DagValidator(limits);
  }

  /** Executions under the default prefix {@code bull}, with the default limits. */
  public static DagExecutions create(BrokerClient client) {
    return create(client, "bull", DagLimits.defaults());
  }

  /**
   * Executions under {@code prefix} (their node queues too), refusing DAGs above {@code limits}.
   *
   * @throws IllegalArgumentException for a null client or limits, or a bad prefix
   */
  public static DagExecutions create(BrokerClient client, String prefix, DagLimits limits) {
    Checks.notNull(client, "client");
    Checks.notNull(limits, "limits");
    return new DagExecutions(client, new DagKeys(prefix), limits);
  }

  /** The key names used. */
  public DagKeys keys() {
    return keys;
  }

  /**
   * Submits an execution in one atomic script: every node is stored as a job, the roots are released (up to
   * the parallelism), the others held until their dependencies finish. With an idempotency key already
   * known, returns that execution's id and writes nothing.
   *
   * @return the execution id (the spec's, or a generated UUID)
   * @throws DagValidationException listing every problem of the spec (nothing written)
   * @throws DagConflictException when the execution id or a node's custom job id is taken (nothing written)
   */
  public String submit(DagSpec spec) {
    ValidatedDag dag = validator.validate(spec);
    String execId = spec.executionId() != null ? spec.executionId() : UUID.randomUUID().toString();
    Object[] args = DagSubmitArgs.build(dag, execId, keys, client.clock().millis());
    List<Object> reply = scripts.run(Command.DAG_SUBMIT, keys.base(), args);
    long code = (Long) reply.get(0);
    if (code == -20) {
      throw new DagConflictException("executionId", null, "executionId '" + execId + "' is already taken");
    }
    if (code == -21) {
      String node = String.valueOf(reply.get(1));
      int index = indexOf(spec, node);
      throw new DagConflictException("nodes[" + index + "].options.jobId", node, "job id '" + reply.get(2)
          + "' of node '" + node + "' already exists in queue '" + spec.nodes().get(index).queue() + "'");
    }
    return String.valueOf(reply.get(1));
  }

  /** The execution's record, totals and nodes, or empty when it does not exist (or has expired). */
  public Optional<DagExecution> get(String execId) {
    checkId(execId, "execId");
    List<Object> reply = scripts.run(Command.DAG_GET, keys.base(), execId);
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(DagExecution.decode(execId, flatToMap((List<?>) reply.get(0)), (List<?>) reply.get(1),
        keys));
  }

  /**
   * Cancels a running execution: nodes not started are cancelled and their jobs removed from their queues;
   * running nodes finish (nothing more is released). The execution ends when the last running node finishes,
   * or at once when none runs.
   *
   * @return true when this call cancelled it; false when it had already ended or been cancelled
   * @throws NoSuchElementException when the execution does not exist (or has expired)
   */
  public boolean cancel(String execId) {
    checkId(execId, "execId");
    List<Object> reply = scripts.run(Command.DAG_CANCEL, keys.base(), execId, String.valueOf(client.clock().millis()));
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw new NoSuchElementException("execution '" + execId + "' does not exist");
    }
    return code == 1;
  }

  /**
   * Does the DAG bookkeeping of a job that finished without Corral's worker scripts (a Node BullMQ worker):
   * what the coordinator calls per completed / failed event. A no-op for a job that is not a DAG node, is
   * not in completed / failed, or was already handled. A node whose job hash is gone finishes as failed
   * "job removed" (the coordinator passes the outcome its event carried instead).
   *
   * @return true when the node was finished by this call
   */
  public boolean nodeFinished(String queue, String jobId) {
    Checks.notEmpty(jobId, "jobId");
    return runNodeFinished(scripts, keys, keys.queue(queue).base(), jobId, client.clock().millis(), "", "");
  }

  /**
   * Runs {@code dagNodeFinished} for job {@code jobId} of the queue {@code queueBase}: the one place its ARGV is
   * built. {@code eventOutcome} / {@code eventValue} are the {@code completed} / {@code failed} event's outcome and
   * value when the caller read one (the coordinator), else empty.
   *
   * @return true when the node was finished by this call
   */
  static boolean runNodeFinished(ScriptRunner scripts, DagKeys keys, String queueBase, String jobId, long now,
      String eventOutcome, String eventValue) {
    List<Object> reply = scripts.run(Command.DAG_NODE_FINISHED, queueBase, jobId, String.valueOf(now), "", "",
        keys.base(), eventOutcome, eventValue);
    return (Long) reply.get(0) == 1;
  }

  /**
   * A page of executions, newest first.
   *
   * @param status only executions in this status, or {@code null} for all
   * @param workflowId only executions of this workflow, or {@code null} for all
   * @param offset executions to skip (>= 0)
   * @param limit page size, 1..{@value #MAX_PAGE}
   */
  public List<DagSummary> list(ExecutionStatus status, String workflowId, int offset, int limit) {
    Checks.atLeast(offset, 0, "offset");
    Checks.inRange(limit, 1, MAX_PAGE, "limit");
    if (workflowId != null) {
      checkId(workflowId, "workflowId");
    }
    String index = workflowId != null ? keys.workflow(workflowId)
        : status != null ? keys.status(status) : keys.index();
    boolean filter = workflowId != null && status != null;
    Collection<String> ids = filter
        ? client.redisson().<String>getScoredSortedSet(index, StringCodec.INSTANCE).valueRangeReversed(0, -1)
        : client.redisson().<String>getScoredSortedSet(index, StringCodec.INSTANCE)
            .valueRangeReversed(offset, offset + limit - 1);
    List<DagSummary> page = new ArrayList<>();
    List<String> idList = new ArrayList<>(ids);
    List<Map<String, String>> records = readRecords(idList);
    int skipped = 0;
    for (int i = 0; i < idList.size() && page.size() < limit; i++) {
      Map<String, String> record = records.get(i);
      if (record.isEmpty()) {
        continue; // expired: the index is cleaned by the sweep
      }
      DagSummary summary = DagSummary.fromRecord(idList.get(i), record);
      if (filter && summary.status() != status) {
        continue;
      }
      if (filter && skipped++ < offset) {
        continue;
      }
      page.add(summary);
    }
    return page;
  }

  /**
   * Executions per status, from the sizes of the {@code status:<status>} index zsets (one batch of
   * {@code ZCARD}s). An ended execution stays counted after its record expired until the sweep cleans the
   * indexes ({@code dagCleanExpired}), so these are upper bounds for completed, failed and cancelled.
   */
  public Map<ExecutionStatus, Long> countByStatus() {
    RBatch batch = client.redisson().createBatch();
    for (ExecutionStatus status : ExecutionStatus.values()) {
      batch.getScoredSortedSet(keys.status(status), StringCodec.INSTANCE).sizeAsync();
    }
    List<?> sizes = batch.execute().getResponses();
    Map<ExecutionStatus, Long> counts = new java.util.EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus status : ExecutionStatus.values()) {
      counts.put(status, ((Number) sizes.get(status.ordinal())).longValue());
    }
    return counts;
  }

  private List<Map<String, String>> readRecords(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    RBatch batch = client.redisson().createBatch();
    for (String id : ids) {
      RMapAsync<String, String> map = batch.getMap(keys.execution(id), StringCodec.INSTANCE);
      map.readAllMapAsync();
    }
    BatchResult<?> result = batch.execute();
    List<Map<String, String>> records = new ArrayList<>(ids.size());
    for (Object o : result.getResponses()) {
      @SuppressWarnings("unchecked")
      Map<String, String> record = (Map<String, String>) o;
      records.add(record);
    }
    return records;
  }

  private static int indexOf(DagSpec spec, String nodeId) {
    for (int i = 0; i < spec.nodes().size(); i++) {
      if (spec.nodes().get(i).id().equals(nodeId)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkId(String id, String field) {
    Checks.notNull(id, field);
    Checks.isTrue(DagValidator.ID.matcher(id).matches(), "%s must match %s, was '%s'", field,
        DagValidator.ID.pattern(), id);
  }

  static Map<String, String> flatToMap(List<?> flat) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return map;
  }
}
