package dev.corral.broker.lifecycle;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.ScriptError;
import dev.corral.broker.dag.DagNodeReads;
import dev.corral.broker.flow.ParentReads;
import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.MarkerConnection;
import dev.corral.broker.scripts.ScriptRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.client.codec.StringCodec;

/**
 * The worker side of one queue: take a job, finish it, retry it, renew locks, recover stalled jobs. Each
 * method is one atomic script with BullMQ 6.7.0's effect on keys and events, so Java and Node workers can
 * share a queue. The SDK's Worker drives it; it holds no state of its own.
 *
 * <p>Thread-safe.
 */
public final class JobLifecycle {

  private final BrokerClient client;
  private final QueueKeys keys;
  private final ScriptRunner scripts;
  private final Clock clock;
  private final ParentReads parents;
  private final DagNodeReads dagNodes;
  private final String metricsMaxDataPoints;

  /** The lifecycle of the queue {@code keys} on {@code client}, collecting no worker metrics. */
  public JobLifecycle(BrokerClient client, QueueKeys keys) {
    this(client, keys, 0);
  }

  /**
   * The lifecycle of the queue {@code keys} on {@code client}; with {@code metricsMaxDataPoints} above 0 every
   * finish is counted in BullMQ's worker metrics ({@code P metrics:completed|failed}, one data point per minute,
   * at most that many kept), as a Node worker with {@code metrics: {maxDataPoints}} does.
   */
  public JobLifecycle(BrokerClient client, QueueKeys keys, int metricsMaxDataPoints) {
    Checks.atLeast(metricsMaxDataPoints, 0, "metricsMaxDataPoints");
    this.metricsMaxDataPoints = metricsMaxDataPoints == 0 ? "" : String.valueOf(metricsMaxDataPoints);
    this.client = Checks.notNull(client, "client");
    this.keys = Checks.notNull(keys, "keys");
    this.scripts = client.scripts();
    this.clock = client.clock();
    this.parents = new ParentReads(client, keys);
    this.dagNodes = new DagNodeReads(client, keys);
  }

  /** Reads of flow parents in this queue (children values, ignored failures), for a parent's processor. */
  public ParentReads parents() {
    return parents;
  }

  /** Reads for DAG nodes in this queue (dependency outcomes, execution status), for a node's processor. */
  public DagNodeReads dagNodes() {
    return dagNodes;
  }

  /** The queue's keys. */
  public QueueKeys keys() {
    return keys;
  }

  /**
   * Takes the next runnable job (promoting due delayed jobs first), honouring pause, global concurrency and
   * rate limits.
   */
  public FetchResult fetch(FetchRequest request) {
    Object[] r = request.args();
    List<Object> reply = scripts.run(Command.MOVE_TO_ACTIVE, keys.base(), now(), r[3], r[0], r[1], r[2], r[4]);
    return FetchResult.decode(reply);
  }

  /**
   * Blocks on the queue's marker over {@code marker} for up to {@code timeoutMs} and takes the next job as
   * {@link #fetch} does the moment the block ends (a marker popped or the timeout), in one round trip: the fetch
   * script waits on the same connection behind the block. A popped delayed marker is not looked at: the fetch
   * promotes what is due and reports the next due time.
   *
   * @return the reply, read but not yet decoded ({@link FetchedReply#decode})
   * @throws BrokerException when the connection failed (the fetch may or may not have run)
   */
  public FetchedReply fetchAfterMarker(MarkerConnection marker, long timeoutMs, FetchRequest request) {
    Object[] r = request.args();
    MarkerConnection.Woken woken = marker.popThenRun(keys.marker(), timeoutMs, Command.MOVE_TO_ACTIVE,
        keys.base(), clock, r[3], r[0], r[1], r[2], r[4]);
    if (woken.cutShort()) {
      return FetchedReply.CUT_SHORT;
    }
    return woken.reply() == null ? FetchedReply.decoded(fetch(request)) : FetchedReply.of(woken.reply());
  }

  /**
   * Completes an active job with {@code returnValueJson}, applying {@code keep}; when {@code next} is not
   * null, takes the next job in the same call.
   *
   * @throws BrokerException when the job is missing, not active, has pending or failed children, or its lock
   *     is gone or held by someone else (the job is then not completed by this worker)
   */
  public FetchResult complete(String jobId, String token, String returnValueJson, KeepJobs keep,
      FetchRequest next) {
    return finish(jobId, token, "completed", returnValueJson, keep, 0, "", next);
  }

  /**
   * Fails an active job for good with {@code reason}, storing {@code stacktraceJson}; {@code attempts} is
   * the job's opts.attempts (for retries-exhausted).
   *
   * @throws BrokerException as {@link #complete}
   */
  public FetchResult fail(String jobId, String token, String reason, String stacktraceJson, KeepJobs keep,
      int attempts, FetchRequest next) {
    return finish(jobId, token, "failed", reason, keep, attempts, stacktraceJson, next);
  }

  private FetchResult finish(String jobId, String token, String target, String value, KeepJobs keep,
      int attempts, String stacktraceJson, FetchRequest next) {
    Checks.notEmpty(jobId, "jobId");
    KeepJobs k = keep == null ? KeepJobs.all() : keep;
    Object[] n = FetchRequest.argsOrNone(next);
    List<Object> reply = scripts.run(Command.MOVE_TO_FINISHED, keys.base(), jobId, now(), target, value, token,
        String.valueOf(k.count()), k.ageSeconds() == null ? "" : String.valueOf(k.ageSeconds()),
        String.valueOf(k.limit() == null ? 1000 : k.limit()), String.valueOf(attempts),
        stacktraceJson == null ? "" : stacktraceJson, next == null ? "0" : "1", n[0], n[1], n[2], n[3], n[4],
        metricsMaxDataPoints);
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, "moveToFinished", "active");
    }
    return reply.size() > 1 ? FetchResult.decode((List<?>) reply.get(1)) : FetchResult.EMPTY;
  }

  /**
   * Moves a failed active job to delayed for a retry in {@code delayMs} (or, with {@code skipAttempt}, delays
   * it on the processor's request without counting an attempt).
   *
   * @param reason the failure message, or null to leave failedReason untouched
   * @throws BrokerException when the job is missing, not active, or its lock is lost
   */
  public void moveToDelayed(String jobId, String token, long delayMs, String reason, String stacktraceJson,
      boolean skipAttempt) {
    moveToDelayed(jobId, token, delayMs, reason, stacktraceJson, skipAttempt, null);
  }

  /**
   * As {@link #moveToDelayed(String, String, long, String, String, boolean)}; when {@code next} is not null, takes
   * the next job in the same call, as BullMQ's retry with backoff does (the delay marker is then set only when no
   * job was taken).
   *
   * @return the job taken with {@code next}, or null when none was asked or none was taken (the caller fetches
   *     as usual: a rate limit, pause or empty queue is not reported here)
   */
  public FetchResult moveToDelayed(String jobId, String token, long delayMs, String reason, String stacktraceJson,
      boolean skipAttempt, FetchRequest next) {
    Checks.notEmpty(jobId, "jobId");
    Checks.atLeast(delayMs, 0, "delayMs");
    Object[] n = FetchRequest.argsOrNone(next);
    List<Object> reply = scripts.run(Command.MOVE_TO_DELAYED, keys.base(), jobId, now(), token,
        String.valueOf(delayMs), reason == null ? "" : reason, stacktraceJson == null ? "[]" : stacktraceJson,
        skipAttempt ? "1" : "0", next == null ? "0" : "1", n[0], n[1], n[2], n[3], n[4]);
    check(reply, jobId, "moveToDelayed");
    return reply.size() > 1 ? FetchResult.decode((List<?>) reply.get(1)) : null;
  }

  /**
   * Moves an active job to waiting-children while it has a child left to finish (BullMQ's moveToWaitingChildren):
   * {@code childKey} ({@code <prefix>:<queue>:<id>}) for that child, or null for any pending child. The lock is
   * released; the last child to finish moves the job back to wait, and a worker runs it again.
   *
   * @return true when the job was moved, false when there was nothing to wait for (the job stays active)
   * @throws BrokerException when the job is missing, not active, its lock is lost, or a child failed (-9)
   */
  public boolean moveToWaitingChildren(String jobId, String token, String childKey) {
    Checks.notEmpty(jobId, "jobId");
    List<Object> reply = scripts.run(Command.MOVE_TO_WAITING_CHILDREN, keys.base(), jobId, token,
        childKey == null ? "" : childKey, now());
    check(reply, jobId, "moveToWaitingChildren");
    return (Long) reply.get(0) == 0L;
  }

  /**
   * Puts a failed active job straight back in the queue for another attempt.
   *
   * @throws BrokerException when the job is missing, not active, or its lock is lost
   */
  public void retry(String jobId, String token, String reason, String stacktraceJson, boolean lifo) {
    Checks.notEmpty(jobId, "jobId");
    check(scripts.run(Command.RETRY_JOB, keys.base(), jobId, now(), token, reason == null ? "" : reason,
        stacktraceJson == null ? "[]" : stacktraceJson, lifo ? "1" : "0"), jobId, "retryJob");
  }

  /**
   * Returns an active job to the front of the queue without counting an attempt (rate limited).
   *
   * @return the remaining rate-limit ttl in ms (negative when there is none)
   */
  public long moveBackToWait(String jobId, String token) {
    Checks.notEmpty(jobId, "jobId");
    List<Object> reply = scripts.run(Command.MOVE_JOB_FROM_ACTIVE_TO_WAIT, keys.base(), jobId, token);
    check(reply, jobId, "moveJobFromActiveToWait");
    return (Long) reply.get(1);
  }

  /**
   * Extends the locks of active jobs held with the given tokens, and reports the DAG nodes among them whose
   * execution stopped running (one script call for all of them).
   *
   * @param tokensByJobId job id → lock token
   * @return ids whose lock was lost (expired or taken by someone else), and ids of DAG nodes whose execution
   *     is failed, cancelled or over
   */
  public LockRenewal extendLocks(Map<String, String> tokensByJobId, long lockDurationMs) {
    if (tokensByJobId.isEmpty()) {
      return LockRenewal.NONE;
    }
    List<Object> args = new ArrayList<>(1 + tokensByJobId.size() * 2);
    args.add(String.valueOf(lockDurationMs));
    tokensByJobId.forEach((id, token) -> {
      args.add(id);
      args.add(token);
    });
    List<Object> reply = scripts.run(Command.EXTEND_LOCKS, keys.base(), args.toArray());
    return new LockRenewal(strings((List<?>) reply.get(0)), strings((List<?>) reply.get(1)));
  }

  /**
   * Runs the queue-wide stalled check (at most once per {@code stalledIntervalMs}, whoever calls it).
   *
   * @return ids moved back to wait by this call
   */
  public List<String> recoverStalled(int maxStalledCount, long stalledIntervalMs) {
    return strings(scripts.run(Command.MOVE_STALLED_JOBS_TO_WAIT, keys.base(), String.valueOf(maxStalledCount),
        now(), String.valueOf(stalledIntervalMs)));
  }

  /**
   * Stores progress for a job and emits {@code progress}.
   *
   * @throws BrokerException when the job does not exist
   */
  public void updateProgress(String jobId, String progressJson) {
    check(scripts.run(Command.UPDATE_PROGRESS, keys.base(), jobId, progressJson), jobId, "updateProgress");
  }

  /**
   * Appends a log line to a job (trimmed to its keepLogs).
   *
   * @throws BrokerException when the job does not exist
   */
  public void addLog(String jobId, String line) {
    check(scripts.run(Command.ADD_LOG, keys.base(), jobId, line, ""), jobId, "addLog");
  }

  /**
   * Rate-limits the whole queue for {@code durationMs}: every worker, Java or Node, stops taking jobs until
   * it expires (BullMQ's {@code queue.rateLimit(ms)}).
   */
  public void rateLimit(long durationMs) {
    Checks.atLeast(durationMs, 1, "durationMs");
    client.redisson().getBucket(keys.limiter(), StringCodec.INSTANCE)
        .set("9007199254740991", Duration.ofMillis(durationMs));
  }

  private String now() {
    return String.valueOf(clock.millis());
  }

  private static List<String> strings(List<?> reply) {
    List<String> out = new ArrayList<>(reply.size());
    reply.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  private static void check(List<Object> reply, String jobId, String command) {
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, command, "active");
    }
  }
}
