package dev.corral.broker;

import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RMap;
import org.redisson.client.codec.StringCodec;

/**
 * The administrative operations of a {@link Queue} (promote, priorities, delays, removal, clean, drain,
 * obliterate, retries, global limits), with BullMQ 6.7.0 semantics. {@link Queue} delegates to it; the
 * arguments are validated here, before anything is written.
 *
 * <p>Thread-safe.
 */
final class QueueAdmin {

  /** The value a manual rate limit stores in {@code P limiter} (Number.MAX_SAFE_INTEGER, as BullMQ). */
  static final String MANUAL_RATE_LIMIT = "9007199254740991";

  /** How many jobs one obliterate call deletes (BullMQ's default count). */
  static final int OBLITERATE_BATCH = 1000;

  private static final Set<JobState> CLEANABLE = EnumSet.of(JobState.COMPLETED, JobState.FAILED,
      JobState.WAITING, JobState.PAUSED, JobState.ACTIVE, JobState.DELAYED, JobState.PRIORITIZED);
  private static final Set<JobState> FINISHED = EnumSet.of(JobState.COMPLETED, JobState.FAILED);

  private final BrokerClient client;
  private final QueueKeys keys;
  private final ScriptRunner scripts;

  QueueAdmin(BrokerClient client, QueueKeys keys) {
    this.client = client;
    this.keys = keys;
    this.scripts = client.scripts();
  }

  // ---------------------------------------------------------------- one job

  void promote(String jobId) {
    Checks.notEmpty(jobId, "jobId");
    check(scripts.run(Command.PROMOTE, keys.base(), jobId), jobId, "promote", "delayed");
  }

  void changeDelay(String jobId, long delayMs) {
    Checks.notEmpty(jobId, "jobId");
    Checks.atLeast(delayMs, 0, "delayMs");
    String now = String.valueOf(client.clock().millis());
    check(scripts.run(Command.CHANGE_DELAY, keys.base(), jobId, String.valueOf(delayMs), now), jobId,
        "changeDelay", "delayed");
  }

  void changePriority(String jobId, int priority, boolean lifo) {
    Checks.notEmpty(jobId, "jobId");
    Checks.inRange(priority, 0, JobOptions.MAX_PRIORITY, "priority");
    check(scripts.run(Command.CHANGE_PRIORITY, keys.base(), jobId, String.valueOf(priority), flag(lifo)), jobId,
        "changePriority", null);
  }

  boolean remove(String jobId, boolean removeChildren) {
    Checks.notEmpty(jobId, "jobId");
    String now = String.valueOf(client.clock().millis());
    long code = (Long) scripts.run(Command.REMOVE_JOB, keys.base(), jobId, flag(removeChildren), now).get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, "removeJob", null);
    }
    return code == 1;
  }

  void retryJob(String jobId, JobState from, boolean resetAttemptsMade, boolean resetAttemptsStarted) {
    Checks.notEmpty(jobId, "jobId");
    JobState state = finishedState(from, "from");
    check(scripts.run(Command.REPROCESS_JOB, keys.base(), jobId, state.wireName(), flag(resetAttemptsMade),
        flag(resetAttemptsStarted)), jobId, "reprocessJob", state.wireName());
  }

  // ---------------------------------------------------------------- many jobs

  long promoteJobs(int count) {
    Checks.atLeast(count, 1, "count");
    return moveJobsToWait(JobState.DELAYED, count, 0);
  }

  long retryJobs(JobState state, int count, long timestamp) {
    JobState finished = finishedState(state, "state");
    Checks.atLeast(count, 1, "count");
    Checks.atLeast(timestamp, 0, "timestamp");
    return moveJobsToWait(finished, count, timestamp);
  }

  private long moveJobsToWait(JobState state, int count, long timestamp) {
    long total = 0;
    List<Object> reply;
    do {
      reply = scripts.run(Command.MOVE_JOBS_TO_WAIT, keys.base(), state.wireName(), String.valueOf(count),
          String.valueOf(timestamp));
      total += (Long) reply.get(0);
    } while ((Long) reply.get(1) == 1L);
    return total;
  }

  List<String> clean(long graceMs, int limit, JobState state) {
    Checks.atLeast(graceMs, 0, "graceMs");
    Checks.atLeast(limit, 0, "limit");
    Checks.notNull(state, "state");
    Checks.isTrue(CLEANABLE.contains(state), "state must be one of completed, failed, waiting, paused, active, "
        + "delayed, prioritized; was %s", state.wireName());
    long now = client.clock().millis();
    String wire = state == JobState.WAITING ? "wait" : state.wireName();
    List<Object> reply = scripts.run(Command.CLEAN_JOBS_IN_SET, keys.base(), wire, String.valueOf(now - graceMs),
        String.valueOf(limit), String.valueOf(now));
    return reply.stream().map(String::valueOf).toList();
  }

  long drain(boolean delayed) {
    return (Long) scripts.run(Command.DRAIN, keys.base(), flag(delayed)).get(0);
  }

  void obliterate(boolean force) {
    scripts.run(Command.PAUSE, keys.base());
    long code;
    do {
      code = (Long) scripts.run(Command.OBLITERATE, keys.base(), String.valueOf(OBLITERATE_BATCH),
          force ? "force" : "").get(0);
    } while (code == 1);
    if (code == -1) {
      throw new BrokerException("Cannot obliterate non-paused queue " + keys.queueName(), null);
    }
    if (code == -2) {
      throw new BrokerException("Cannot obliterate queue " + keys.queueName() + " with active jobs", null);
    }
  }

  // ---------------------------------------------------------------- queue-wide limits

  void setGlobalConcurrency(int concurrency) {
    Checks.atLeast(concurrency, 1, "concurrency");
    meta().fastPut("concurrency", String.valueOf(concurrency));
  }

  void removeGlobalConcurrency() {
    meta().fastRemove("concurrency");
  }

  void setGlobalRateLimit(int max, long durationMs) {
    Checks.atLeast(max, 1, "max");
    Checks.atLeast(durationMs, 1, "durationMs");
    meta().putAll(Map.of("max", String.valueOf(max), "duration", String.valueOf(durationMs)));
  }

  void removeGlobalRateLimit() {
    meta().fastRemove("max", "duration");
  }

  void rateLimit(long ms) {
    Checks.atLeast(ms, 1, "ms");
    client.redisson().getBucket(keys.limiter(), StringCodec.INSTANCE).set(MANUAL_RATE_LIMIT, Duration.ofMillis(ms));
  }

  void removeRateLimitKey() {
    client.redisson().getBucket(keys.limiter(), StringCodec.INSTANCE).delete();
  }

  long getRateLimitTtl(int maxJobs) {
    Checks.atLeast(maxJobs, 0, "maxJobs");
    return (Long) scripts.run(Command.GET_RATE_LIMIT_TTL, keys.base(), String.valueOf(maxJobs)).get(0);
  }

  Map<Integer, Long> getCountsPerPriority(int... priorities) {
    Checks.notNull(priorities, "priorities");
    Object[] args = new Object[priorities.length];
    for (int i = 0; i < priorities.length; i++) {
      args[i] = String.valueOf(Checks.inRange(priorities[i], 0, JobOptions.MAX_PRIORITY, "priorities[" + i + "]"));
    }
    Map<Integer, Long> counts = new LinkedHashMap<>();
    if (args.length == 0) {
      return counts;
    }
    List<Object> reply = scripts.run(Command.GET_COUNTS_PER_PRIORITY, keys.base(), args);
    for (int i = 0; i < priorities.length; i++) {
      counts.put(priorities[i], (Long) reply.get(i));
    }
    return counts;
  }

  // ---------------------------------------------------------------- helpers

  private RMap<String, String> meta() {
    return client.redisson().getMap(keys.meta(), StringCodec.INSTANCE);
  }

  private static JobState finishedState(JobState state, String field) {
    Checks.notNull(state, field);
    Checks.isTrue(FINISHED.contains(state), "%s must be completed or failed, was %s", field, state.wireName());
    return state;
  }

  private static String flag(boolean value) {
    return value ? "1" : "0";
  }

  private static void check(List<Object> reply, String jobId, String command, String state) {
    long code = (Long) reply.get(0);
    if (code < 0) {
      throw ScriptError.toException(code, jobId, command, state);
    }
  }
}
