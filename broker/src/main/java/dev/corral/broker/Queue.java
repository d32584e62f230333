package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import dev.corral.broker.flow.Dependencies;
import dev.corral.broker.flow.DependencyCounts;
import dev.corral.broker.flow.ParentReads;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RList;
import org.redisson.api.RMap;
import org.redisson.client.codec.StringCodec;

/**
 * One BullMQ queue: adds jobs, reads them, and administers the queue. Every state change is one atomic
 * script of ours, leaving Redis exactly as BullMQ 6.7.0 would.
 *
 * <p>Thread-safe; cheap to keep. Obtain from {@link BrokerClient#queue(String)}.
 */
public final class Queue {

  private final BrokerClient client;
  private final QueueKeys keys;
  private final ScriptRunner scripts;
  private final AddCoalescer adds;
  private final QueueAdmin admin;
  private final ParentReads parents;
  private final JobSchedulers schedulers;

  Queue(BrokerClient client, QueueKeys keys, QueueOptions options) {
    this.client = client;
    this.keys = keys;
    this.scripts = client.scripts();
    this.adds = new AddCoalescer(keys, scripts);
    this.admin = new QueueAdmin(client, keys);
    this.parents = new ParentReads(client, keys);
    this.schedulers = JobSchedulers.of(client, keys);
    RMap<String, String> meta = client.redisson().getMap(keys.meta(), StringCodec.INSTANCE);
    meta.putAll(Map.of("opts.maxLenEvents", String.valueOf(options.maxLenEvents()), "library", Corral.LIBRARY));
  }

  /** The queue name. */
  public String name() {
    return keys.queueName();
  }

  /** The queue's key names. */
  public QueueKeys keys() {
    return keys;
  }

  /** The client this queue belongs to. */
  public BrokerClient client() {
    return client;
  }

  // ---------------------------------------------------------------- producing

  /** Adds a job with default options; returns its id. */
  public String add(String name, Object data) {
    return add(name, data, JobOptions.defaults());
  }

  /**
   * Adds a job; returns its id. A custom id that exists already returns that id and changes nothing
   * (event {@code duplicated}); a deduplicated add returns the id of the job that owns the deduplication id.
   *
   * @throws IllegalArgumentException naming the field when the data cannot be serialised or is too large
   */
  public String add(String name, Object data, JobOptions options) {
    JobRequest request = new JobRequest(name, data, options);
    return adds.add(request, AddJobArgs.group(request, client.clock().millis(), "data"));
  }

  /**
   * Adds many jobs in one atomic script: either all are stored or, on a validation error, none.
   *
   * @return the ids, in order
   */
  public List<String> addBulk(List<JobRequest> jobs) {
    Checks.notNull(jobs, "jobs");
    if (jobs.isEmpty()) {
      return List.of();
    }
    Object[] args = AddJobArgs.build(jobs, client.clock().millis());
    List<Object> reply = scripts.run(Command.ADD_JOBS, keys.base(), args);
    if (!reply.isEmpty() && reply.get(0) instanceof Long code) {
      int index = ((Long) reply.get(1)).intValue() - 1;
      throw ScriptError.toException(code, String.valueOf(jobs.get(index).options().jobId()), "addJob", null);
    }
    List<String> ids = new ArrayList<>(reply.size());
    reply.forEach(id -> ids.add(String.valueOf(id)));
    return ids;
  }

  /** The queue's job schedulers (repeatable jobs): upsert, remove, read. */
  public JobSchedulers schedulers() {
    return schedulers;
  }

  // ---------------------------------------------------------------- reading

  /** The job with {@code jobId}, or empty when its hash does not exist. */
  public Optional<Job> getJob(String jobId) {
    Checks.notEmpty(jobId, "jobId");
    RMap<String, String> hash = client.redisson().getMap(keys.job(jobId), StringCodec.INSTANCE);
    Map<String, String> fields = hash.readAllMap();
    return fields.isEmpty() ? Optional.empty() : Optional.of(Job.fromHash(jobId, fields));
  }

  /** The state of a job, {@link JobState#UNKNOWN} when no state key holds it. */
  public JobState getState(String jobId) {
    Checks.notEmpty(jobId, "jobId");
    List<Object> reply = scripts.run(Command.GET_STATE, keys.base(), jobId);
    return JobState.fromWireName(String.valueOf(reply.get(0)));
  }

  /**
   * Jobs in {@code states}, the range {@code start..end} (inclusive, -1 = to the end) applied to each state,
   * newest first unless {@code asc}.
   */
  public List<Job> getJobs(List<JobState> states, long start, long end, boolean asc) {
    Checks.notNull(states, "states");
    Checks.atLeast(start, 0, "start");
    Checks.atLeast(end, -1, "end");
    List<Object> args = new ArrayList<>();
    args.add(String.valueOf(start));
    args.add(String.valueOf(end));
    args.add(asc ? "1" : "0");
    states.forEach(s -> args.add(Checks.notNull(s, "state").wireName()));
    List<Object> reply = scripts.run(Command.GET_JOBS, keys.base(), args.toArray());
    List<Job> jobs = new ArrayList<>(reply.size() / 2);
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      jobs.add(Job.fromFlatHash(String.valueOf(reply.get(i)), (List<?>) reply.get(i + 1)));
    }
    return jobs;
  }

  /** Counts per state, for the default states of BullMQ 6 when none are given. */
  public Map<JobState, Long> getJobCounts(JobState... states) {
    JobState[] asked = states == null || states.length == 0 ? JobState.defaultCountStates() : states;
    Object[] args = Arrays.stream(asked).map(s -> Checks.notNull(s, "state").wireName()).toArray();
    List<Object> reply = scripts.run(Command.GET_COUNTS, keys.base(), args);
    Map<JobState, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < asked.length; i++) {
      counts.put(asked[i], (Long) reply.get(i));
    }
    return counts;
  }

  /** The number of jobs in one state. */
  public long getJobCount(JobState state) {
    return getJobCounts(state).get(state);
  }

  /**
   * The worker metrics of finished {@code state} ({@link JobState#COMPLETED} or {@link JobState#FAILED}):
   * totals and the data points {@code start..end} (0 = the newest minute, -1 = to the oldest), as BullMQ's
   * getMetrics.
   *
   * @throws IllegalArgumentException for any other state
   */
  public JobMetrics getMetrics(JobState state, long start, long end) {
    return JobMetrics.read(client, keys, state, start, end);
  }

  /** A page of a job's log lines and the total number stored. */
  public record JobLogs(List<String> logs, long count) {}

  /** Log lines {@code start..end} (inclusive, -1 = to the end), oldest first when {@code asc}. */
  public JobLogs getJobLogs(String jobId, int start, int end, boolean asc) {
    Checks.notEmpty(jobId, "jobId");
    Checks.atLeast(start, 0, "start");
    Checks.atLeast(end, -1, "end");
    RList<String> list = client.redisson().getList(keys.logs(jobId), StringCodec.INSTANCE);
    List<String> lines;
    if (asc) {
      lines = list.range(start, end);
    } else {
      lines = new ArrayList<>(list.range(-(end + 1), -(start + 1)));
      java.util.Collections.reverse(lines);
    }
    return new JobLogs(List.copyOf(lines), list.size());
  }

  /** A flow parent's completed children's return values, by child key ({@code "<prefix>:<queue>:<id>"}). */
  public Map<String, JsonNode> getChildrenValues(String jobId) {
    return parents.childrenValues(jobId);
  }

  /** A flow parent's children failed with ignoreDependencyOnFailure / continueParentOnFailure, and why. */
  public Map<String, String> getIgnoredChildrenFailures(String jobId) {
    return parents.ignoredChildrenFailures(jobId);
  }

  /** A flow parent's children by outcome: processed, unprocessed (pending), ignored, failed. */
  public Dependencies getDependencies(String jobId) {
    return parents.dependencies(jobId);
  }

  /** How many children of a flow parent are in each outcome. */
  public DependencyCounts getDependenciesCount(String jobId) {
    return parents.dependencyCounts(jobId);
  }

  /** The meta hash. */
  public QueueMeta getMeta() {
    RMap<String, String> meta = client.redisson().getMap(keys.meta(), StringCodec.INSTANCE);
    return QueueMeta.fromHash(meta.readAllMap());
  }

  /** Whether the queue is paused ({@code meta.paused} exists). */
  public boolean isPaused() {
    return client.redisson().getMap(keys.meta(), StringCodec.INSTANCE).containsKey("paused");
  }

  // ---------------------------------------------------------------- job updates

  /**
   * Replaces a job's data.
   *
   * @throws BrokerException when the job does not exist
   */
  public void updateData(String jobId, Object data) {
    Checks.notEmpty(jobId, "jobId");
    String json = Json.write(data, "data", "{}");
    check(scripts.run(Command.UPDATE_DATA, keys.base(), jobId, json), jobId, "updateData");
  }

  /**
   * Stores a job's progress (a number or any JSON value) and emits {@code progress}.
   *
   * @throws BrokerException when the job does not exist
   */
  public void updateProgress(String jobId, Object progress) {
    Checks.notEmpty(jobId, "jobId");
    Checks.notNull(progress, "progress");
    String json = progress instanceof JsonNode n ? n.toString() : Json.write(progress, "progress", "null");
    check(scripts.run(Command.UPDATE_PROGRESS, keys.base(), jobId, json), jobId, "updateProgress");
  }

  /**
   * Appends a log line to a job, trimmed to the job's {@code keepLogs}; returns the number of lines kept.
   *
   * @throws BrokerException when the job does not exist
   */
  public long addLog(String jobId, String line) {
    Checks.notEmpty(jobId, "jobId");
    Checks.notNull(line, "line");
    List<Object> reply = scripts.run(Command.ADD_LOG, keys.base(), jobId, line, "");
    return check(reply, jobId, "addLog");
  }

  // ---------------------------------------------------------------- admin

  /** Pauses the queue: workers (Java or Node) stop taking jobs; adds still land in wait. Emits {@code paused}. */
  public void pause() {
    scripts.run(Command.PAUSE, keys.base());
  }

  /** Resumes the queue, migrating a legacy BullMQ 5 paused list if present. Emits {@code resumed}. */
  public void resume() {
    long left = (Long) scripts.run(Command.RESUME, keys.base(), "1").get(0);
    while (left > 0) {
      left = (Long) scripts.run(Command.RESUME, keys.base(), "0").get(0);
    }
  }

  /**
   * Promotes a delayed job so it runs now: to wait, or prioritized when it has a priority. Emits
   * {@code waiting} (prev {@code delayed}).
   *
   * @throws BrokerException ({@link ScriptError#JOB_NOT_IN_STATE}) when the job is not delayed
   */
  public void promote(String jobId) {
    admin.promote(jobId);
  }

  /**
   * Promotes every delayed job to wait (ignoring priorities, as BullMQ), {@code count} per script call.
   *
   * @return how many jobs were promoted
   */
  public long promoteJobs(int count) {
    return admin.promoteJobs(count);
  }

  /**
   * Changes a job's priority (0..2097151, 0 = none). A job in wait or prioritized is re-queued; with
   * {@code lifo} it goes to the front of its priority. No event.
   *
   * @throws BrokerException ({@link ScriptError#JOB_NOT_EXIST}) when the job does not exist
   */
  public void changePriority(String jobId, int priority, boolean lifo) {
    admin.changePriority(jobId, priority, lifo);
  }

  /**
   * Makes a delayed job due {@code delayMs} from now. Emits {@code delayed} with the new due time.
   *
   * @throws BrokerException ({@link ScriptError#JOB_NOT_IN_STATE}) when the job is not delayed
   */
  public void changeDelay(String jobId, long delayMs) {
    admin.changeDelay(jobId, delayMs);
  }

  /**
   * Removes a job (and, with {@code removeChildren}, its children in any queue). The job is detached from
   * its parent, which is released when that was its last pending child. Emits {@code removed}.
   *
   * @return false when the job (or a pending child) is locked by a worker, so nothing was removed; true
   *     otherwise, also for an id no state holds (BullMQ then emits {@code removed} with prev {@code unknown})
   * @throws BrokerException ({@link ScriptError#JOB_BELONGS_TO_JOB_SCHEDULER}) for a scheduler's current
   *     iteration
   */
  public boolean remove(String jobId, boolean removeChildren) {
    return admin.remove(jobId, removeChildren);
  }

  /**
   * Deletes up to {@code limit} (0 = all) jobs in {@code state} older than {@code graceMs}, oldest first.
   * Emits {@code cleaned}.
   *
   * @param state completed, failed, waiting, paused, active (unlocked jobs only), delayed or prioritized
   * @return the deleted ids
   */
  public List<String> clean(long graceMs, int limit, JobState state) {
    return admin.clean(graceMs, limit, state);
  }

  /**
   * Deletes every job in wait and prioritized, and in delayed when {@code delayed}, keeping job schedulers'
   * current iterations. No events.
   *
   * @return how many jobs were deleted
   */
  public long drain(boolean delayed) {
    return admin.drain(delayed);
  }

  /**
   * Pauses the queue, then deletes it with all its jobs and schedulers in batches of 1000, leaving only
   * {@code limiter} (as BullMQ).
   *
   * @throws BrokerException when jobs are active and {@code force} is false (the queue stays paused)
   */
  public void obliterate(boolean force) {
    admin.obliterate(force);
  }

  /**
   * Retries a completed or failed job: it goes back to wait (or prioritized) and, if it is a child, back
   * into its parent's pending dependencies. Emits {@code waiting} (prev {@code from}).
   *
   * @throws BrokerException when the job does not exist or is not in {@code from}
   */
  public void retryJob(String jobId, JobState from) {
    admin.retryJob(jobId, from, false, false);
  }

  /** As {@link #retryJob(String, JobState)}, optionally resetting {@code atm} and {@code ats}. */
  public void retryJob(String jobId, JobState from, boolean resetAttemptsMade, boolean resetAttemptsStarted) {
    admin.retryJob(jobId, from, resetAttemptsMade, resetAttemptsStarted);
  }

  /**
   * Moves every completed or failed job finished at or before {@code timestamp} back to wait, {@code count}
   * per script call (priorities ignored, as BullMQ).
   *
   * @return how many jobs were moved
   */
  public long retryJobs(JobState state, int count, long timestamp) {
    return admin.retryJobs(state, count, timestamp);
  }

  /** Sets the queue-wide concurrency ({@code meta.concurrency}), honoured by Java and Node workers. */
  public void setGlobalConcurrency(int concurrency) {
    admin.setGlobalConcurrency(concurrency);
  }

  /** Removes the queue-wide concurrency. */
  public void removeGlobalConcurrency() {
    admin.removeGlobalConcurrency();
  }

  /** Sets the queue-wide rate limit: at most {@code max} jobs started per {@code durationMs}. */
  public void setGlobalRateLimit(int max, long durationMs) {
    admin.setGlobalRateLimit(max, durationMs);
  }

  /** Removes the queue-wide rate limit. */
  public void removeGlobalRateLimit() {
    admin.removeGlobalRateLimit();
  }

  /** Rate-limits the queue for {@code ms}: no worker takes a job until then. */
  public void rateLimit(long ms) {
    admin.rateLimit(ms);
  }

  /** Deletes the rate limiter key, lifting a manual or counting rate limit. */
  public void removeRateLimitKey() {
    admin.removeRateLimitKey();
  }

  /**
   * The remaining rate-limit time in ms: 0 when {@code meta.max} is set and not reached, -2 when there is no
   * limiter key, -1 when it has no expiry.
   */
  public long getRateLimitTtl() {
    return admin.getRateLimitTtl(0);
  }

  /** As {@link #getRateLimitTtl()}, with {@code maxJobs} as the window's maximum. */
  public long getRateLimitTtl(int maxJobs) {
    return admin.getRateLimitTtl(maxJobs);
  }

  /** Ready jobs per priority: 0 counts the wait list, p the prioritized jobs of priority p. */
  public Map<Integer, Long> getCountsPerPriority(int... priorities) {
    return admin.getCountsPerPriority(priorities);
  }

  private static long check(List<Object> reply, String jobId, String command) {
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, command, null);
    }
    return code;
  }
}
