package dev.corral.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.requests.Problems;
import dev.corral.broker.Backoff;
import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import dev.corral.broker.KeepJobs;
import java.util.Set;

/**
 * Turns the JSON {@code options} object of a job (or a DAG node) into {@link JobOptions}, recording every
 * problem with the field's snake_case name ({@code options.priority}, {@code options.backoff.type}, ...),
 * unknown fields included. Pure; thread-safe.
 */
public final class JobOptionsParser {

  /** The option names accepted. */
  public static final Set<String> FIELDS = Set.of("job_id", "priority", "delay", "attempts", "backoff", "lifo",
      "remove_on_complete", "remove_on_fail", "keep_logs", "stack_trace_limit", "size_limit", "deduplication");

  private static final Set<String> BACKOFF = Set.of("type", "delay", "jitter");
  private static final Set<String> KEEP = Set.of("age", "count", "limit");
  private static final Set<String> DEDUP = Set.of("id", "ttl", "extend", "replace", "reschedule",
      "keep_last_if_active");
  /** Longest duration (ms) a field accepts: 100 years. */
  public static final long MAX_MS = 100L * 365 * 24 * 3600 * 1000;

  private JobOptionsParser() {}

  /**
   * The options in {@code options} (null = defaults).
   *
   * @param at the field path of the object, e.g. {@code options} or {@code nodes[2].options}
   * @param node the DAG node concerned, or null
   * @return the options, or {@code null} when a problem was recorded
   */
  public static JobOptions parse(JsonNode options, String at, String node, Problems problems) {
    if (options == null || options.isNull()) {
      return JobOptions.defaults();
    }
    if (!options.isObject()) {
      problems.add(at, node, "options must be an object");
      return null;
    }
    int before = problems.list().size();
    problems.unknownFields(options, at, FIELDS, node);
    JobOptions.Builder b = JobOptions.builder();
    String jobId = problems.string(options, at, "job_id", node);
    if (jobId != null) {
      try {
        JobOptions.validateJobId(jobId);
        b.jobId(jobId);
      } catch (IllegalArgumentException e) {
        problems.add(Problems.join(at, "job_id"), node, e.getMessage());
      }
    }
    Long priority = problems.integer(options, at, "priority", 0, JobOptions.MAX_PRIORITY, node);
    if (priority != null) {
      b.priority(priority.intValue());
    }
    Long delay = problems.integer(options, at, "delay", 0, MAX_MS, node);
    if (delay != null) {
      b.delay(delay);
    }
    Long attempts = problems.integer(options, at, "attempts", 1, 1000, node);
    if (attempts != null) {
      b.attempts(attempts.intValue());
    }
    Boolean lifo = problems.bool(options, at, "lifo", node);
    if (lifo != null) {
      b.lifo(lifo);
    }
    Long keepLogs = problems.integer(options, at, "keep_logs", 1, Integer.MAX_VALUE, node);
    if (keepLogs != null) {
      b.keepLogs(keepLogs.intValue());
    }
    Long stackTraceLimit = problems.integer(options, at, "stack_trace_limit", 0, Integer.MAX_VALUE, node);
    if (stackTraceLimit != null) {
      b.stackTraceLimit(stackTraceLimit.intValue());
    }
    Long sizeLimit = problems.integer(options, at, "size_limit", 1, Integer.MAX_VALUE, node);
    if (sizeLimit != null) {
      b.sizeLimit(sizeLimit.intValue());
    }
    b.backoff(backoff(options, at, node, problems));
    b.removeOnComplete(keep(options, at, "remove_on_complete", node, problems));
    b.removeOnFail(keep(options, at, "remove_on_fail", node, problems));
    b.deduplication(deduplication(options, at, node, problems));
    if (problems.list().size() > before) {
      return null;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      problems.add(at, node, e.getMessage());
      return null;
    }
  }

  private static Backoff backoff(JsonNode options, String at, String node, Problems problems) {
    String here = Problems.join(at, "backoff");
    JsonNode v = Problems.field(options, "backoff");
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber()) { // BullMQ's shorthand: a fixed delay
      Long ms = problems.integer(options, at, "backoff", 0, MAX_MS, node);
      return ms == null ? null : Backoff.fixed(ms);
    }
    JsonNode o = problems.object(options, at, "backoff", node);
    if (o == null) {
      return null;
    }
    problems.unknownFields(o, here, BACKOFF, node);
    String type = problems.string(o, here, "type", node);
    Long delay = problems.integer(o, here, "delay", 0, MAX_MS, node);
    JsonNode jitter = Problems.field(o, "jitter");
    if (type == null && !problems.has(here + ".type")) {
      problems.add(here + ".type", node, "type is required: fixed or exponential");
    }
    if (jitter != null && !jitter.isNumber()) {
      problems.add(here + ".jitter", node, "jitter must be a number between 0 and 1, was " + jitter);
      return null;
    }
    if (type == null) {
      return null;
    }
    try {
      return new Backoff(type, delay == null ? 0 : delay, jitter == null ? 0 : jitter.asDouble());
    } catch (IllegalArgumentException e) {
      problems.add(here, node, e.getMessage());
      return null;
    }
  }

  private static KeepJobs keep(JsonNode options, String at, String name, String node, Problems problems) {
    String here = Problems.join(at, name);
    JsonNode v = Problems.field(options, name);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? KeepJobs.none() : KeepJobs.all();
    }
    if (v.isIntegralNumber()) {
      Long count = problems.integer(options, at, name, 0, Integer.MAX_VALUE, node);
      return count == null ? null : KeepJobs.count(count.intValue());
    }
    if (!v.isObject()) {
      problems.add(here, node, name + " must be true, false, a count or {age, count, limit}, was " + v);
      return null;
    }
    problems.unknownFields(v, here, KEEP, node);
    Long age = problems.integer(v, here, "age", 0, MAX_MS / 1000, node);
    Long count = problems.integer(v, here, "count", 0, Integer.MAX_VALUE, node);
    Long limit = problems.integer(v, here, "limit", 1, Integer.MAX_VALUE, node);
    if (age == null) {
      if (Problems.field(v, "age") == null && limit != null) {
        problems.add(here + ".limit", node, "limit needs an age");
      }
      return count == null ? null : KeepJobs.count(count.intValue());
    }
    return KeepJobs.age(age, count == null ? null : count.intValue(), limit == null ? null : limit.intValue());
  }

  private static Deduplication deduplication(JsonNode options, String at, String node, Problems problems) {
    String here = Problems.join(at, "deduplication");
    JsonNode o = problems.object(options, at, "deduplication", node);
    if (o == null) {
      return null;
    }
    problems.unknownFields(o, here, DEDUP, node);
    String id = problems.string(o, here, "id", node);
    Long ttl = problems.integer(o, here, "ttl", 1, MAX_MS, node);
    Boolean extend = problems.bool(o, here, "extend", node);
    Boolean replace = problems.bool(o, here, "replace", node);
    Boolean reschedule = problems.bool(o, here, "reschedule", node);
    Boolean keepLastIfActive = problems.bool(o, here, "keep_last_if_active", node);
    if (id == null) {
      if (!problems.has(here + ".id")) {
        problems.add(here + ".id", node, "id is required");
      }
      return null;
    }
    try {
      return new Deduplication(id, ttl, Boolean.TRUE.equals(extend), Boolean.TRUE.equals(replace),
          Boolean.TRUE.equals(reschedule), Boolean.TRUE.equals(keepLastIfActive));
    } catch (IllegalArgumentException e) {
      problems.add(here, node, e.getMessage());
      return null;
    }
  }
}
