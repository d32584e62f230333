package dev.corral.sdk.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagConflictException;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.DagSummary;
import dev.corral.broker.dag.DagValidationException;
import dev.corral.broker.dag.DagValidator;
import dev.corral.broker.dag.ExecutionFinishedWatcher;
import dev.corral.broker.dag.ExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.client.codec.StringCodec;

/**
 * DAG executions for pipeline authors (docs/dag.md): build and submit, read, list, cancel, and wait for the
 * end of an execution. Wraps the broker's {@link DagExecutions}; the nodes are ordinary jobs processed by
 * {@code Worker}s (Java) or BullMQ workers (Node) on their queues.
 *
 * <pre>{@code
 * try (DagClient dags = DagClient.create(brokerClient)) {
 *   String id = dags.builder("nightly-etl")
 *       .node("extract").queue("etl")
 *       .node("load").queue("load").dependsOn("extract")
 *       .submit();
 *   DagExecution done = dags.awaitCompletion(id, Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * <p>{@link #awaitCompletion} does not poll: all waiting calls of one client share one reader blocked on the
 * DAG stream (one dedicated connection, opened on first use and idle while nobody waits), with a slow status
 * check ({@link #statusCheckInterval()}) as a safety net should the stream have been trimmed. Thread-safe;
 * {@link #close()} releases the reader (it does not close the {@link BrokerClient}).
 */
public final class DagClient implements AutoCloseable {

  /** Default interval of the safety-net status check while waiting. */
  public static final Duration DEFAULT_STATUS_CHECK_INTERVAL = Duration.ofSeconds(10);

  private final BrokerClient client;
  private final DagExecutions executions;
  private final Duration statusCheckInterval;
  private final ExecutionFinishedWatcher watcher;

  private DagClient(BrokerClient client, DagExecutions executions, Duration statusCheckInterval) {
    this.client = client;
    this.executions = executions;
    this.statusCheckInterval = statusCheckInterval;
    this.watcher = new ExecutionFinishedWatcher(client, executions.keys().stream());
  }

  /** Executions under the default prefix {@code bull}. */
  public static DagClient create(BrokerClient client) {
    return create(client, "bull", DagLimits.defaults(), DEFAULT_STATUS_CHECK_INTERVAL);
  }

  /**
   * Executions under {@code prefix} (their node queues too), refusing DAGs above {@code limits}.
   *
   * @param statusCheckInterval how often a waiting {@link #awaitCompletion} re-reads the status in case the
   *     stream lost its event (at least 100 ms)
   * @throws IllegalArgumentException naming the field: a null client, limits or interval, a bad prefix, an
   *     interval under 100 ms
   */
  public static DagClient create(BrokerClient client, String prefix, DagLimits limits,
      Duration statusCheckInterval) {
    require(client != null, "client cannot be null");
    require(statusCheckInterval != null, "statusCheckInterval cannot be null");
    require(statusCheckInterval.toMillis() >= 100, "statusCheckInterval must be >= 100 ms, was "
        + statusCheckInterval);
    return new DagClient(client, DagExecutions.create(client, prefix, limits), statusCheckInterval);
  }

  /** The broker's executions API this client wraps. */
  public DagExecutions executions() {
    return executions;
  }

  /** The interval of the safety-net status check of {@link #awaitCompletion}. */
  public Duration statusCheckInterval() {
    return statusCheckInterval;
  }

  /** Starts building an execution of {@code workflowId}, ending in {@link DagSubmission#submit()}. */
  public DagSubmission builder(String workflowId) {
    return new DagSubmission(this, workflowId);
  }

  /**
   * Submits an execution in one atomic script. With an idempotency key already used (and not expired),
   * returns the first execution's id and writes nothing.
   *
   * @return the execution id
   * @throws IllegalArgumentException for a null spec
   * @throws DagValidationException listing every problem of the spec (nothing written)
   * @throws DagConflictException when the execution id or a node's custom job id is taken (nothing written)
   */
  public String submit(DagSpec spec) {
    require(spec != null, "spec cannot be null");
    return executions.submit(spec);
  }

  /**
   * The execution's record, totals and nodes, or empty when it does not exist (or expired).
   *
   * @throws IllegalArgumentException for a null, blank or malformed execId
   */
  public Optional<DagExecution> get(String execId) {
    return executions.get(checkId(execId));
  }

  /**
   * Only the execution's status (one HGET, no node reads), or empty when it does not exist (or expired). A
   * failed or cancelled execution may still have running nodes (see {@link #awaitCompletion}).
   *
   * @throws IllegalArgumentException for a null, blank or malformed execId
   */
  public Optional<ExecutionStatus> status(String execId) {
    Object status = client.redisson().getMap(executions.keys().execution(checkId(execId)), StringCodec.INSTANCE)
        .get("status");
    return status == null ? Optional.empty() : Optional.of(ExecutionStatus.fromWireName(String.valueOf(status)));
  }

  /**
   * Whether the execution has ended: {@code completedAt} is set once no node is left held, ready or running.
   * A failed or cancelled execution has its status at once but ends only when its running nodes finish.
   */
  private boolean hasEnded(String execId) {
    Map<String, String> record = client.redisson().<String, String>getMap(executions.keys().execution(execId),
        StringCodec.INSTANCE).getAll(Set.of("status", "completedAt"));
    if (record.get("status") == null) {
      throw unknown(execId);
    }
    String completedAt = record.get("completedAt");
    return completedAt != null && !completedAt.isEmpty();
  }

  /**
   * A page of executions, newest first; see {@link DagExecutions#list}.
   *
   * @param status only executions in this status, or {@code null} for all
   * @param workflowId only executions of this workflow, or {@code null} for all
   */
  public List<DagSummary> list(ExecutionStatus status, String workflowId, int offset, int limit) {
    if (workflowId != null) {
      require(!workflowId.isBlank(), "workflowId cannot be blank");
    }
    return executions.list(status, workflowId, offset, limit);
  }

  /**
   * Cancels a running execution: nodes not started are cancelled and their jobs removed; running nodes see
   * {@code JobContext.isCancelled()} at their worker's next lock renewal and finish (their outcome is
   * recorded); the execution ends cancelled when the last of them finishes.
   *
   * @return true when this call cancelled it; false when it had already ended or been cancelled
   * @throws NoSuchElementException when the execution does not exist (or expired)
   * @throws IllegalArgumentException for a null, blank or malformed execId
   */
  public boolean cancel(String execId) {
    return executions.cancel(checkId(execId));
  }

  /**
   * Waits until the execution ends and returns its final state: completed, failed or cancelled, with no node
   * left running ({@code completedAt} set; a failed or cancelled execution waits for its running nodes).
   * Returns at once when it has already ended; otherwise wakes up on its {@code execution-finished} event.
   *
   * @param timeout how long to wait at most (zero: check once)
   * @throws TimeoutException when it is still running after {@code timeout}
   * @throws NoSuchElementException when the execution does not exist (or expired)
   * @throws InterruptedException when the calling thread is interrupted
   * @throws IllegalArgumentException for a null, blank or malformed execId, a null or negative timeout
   * @throws IllegalStateException when this client is closed
   */
  public DagExecution awaitCompletion(String execId, Duration timeout)
      throws TimeoutException, InterruptedException {
    String id = checkId(execId);
    require(timeout != null, "timeout cannot be null");
    require(!timeout.isNegative(), "timeout must be >= 0, was " + timeout);
    long deadline = System.nanoTime() + saturatedNanos(timeout);
    // registered before the first status check: an end written after the check is delivered to the future
    CompletableFuture<String> finished = watcher.register(id);
    try {
      while (true) {
        if (hasEnded(id)) {
          return get(id).orElseThrow(() -> unknown(id));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("execution '" + id + "' still running after " + timeout);
        }
        long wait = Math.min(left, statusCheckInterval.toNanos());
        try {
          if (finished.isDone()) {
            // an event was seen yet the status says running (the id was reused after the first execution
            // expired): no more events will come for this future, so fall back to the slow status check
            TimeUnit.NANOSECONDS.sleep(wait);
          } else {
            finished.get(wait, TimeUnit.NANOSECONDS);
          }
          // its execution-finished event: the loop's status check returns the final state
        } catch (TimeoutException e) {
          // safety net: check the status again (the event may have been trimmed away)
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      watcher.unregister(id, finished);
    }
  }

  /** Stops the stream reader; waiting calls fail with {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    watcher.close();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private static NoSuchElementException unknown(String execId) {
    return new NoSuchElementException("execution '" + execId + "' does not exist");
  }

  private static String checkId(String execId) {
    require(execId != null, "execId cannot be null");
    require(!execId.isBlank(), "execId cannot be blank");
    require(DagValidator.ID.matcher(execId).matches(), "execId must match " + DagValidator.ID.pattern()
        + ", was '" + execId + "'");
    return execId;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
