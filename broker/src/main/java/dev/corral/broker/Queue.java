package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.internal.Checks;
import dev.corral.broker.internal.Json;
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

  Queue(BrokerClient client, QueueKeys keys, QueueOptions options) {
    this.client = client;
    this.keys = keys;
    this.scripts = client.scripts();
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
    return addBulk(List.of(new JobRequest(name, data, options))).get(0);
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

  private static long check(List<Object> reply, String jobId, String command) {
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, command, null);
    }
    return code;
  }
}
