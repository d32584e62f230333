package dev.corral.broker.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.RepeatOptions;
import dev.corral.broker.support.Json;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The client side of BullMQ 6.7.0's {@code JobScheduler.upsertJobScheduler}: whether a scheduler gets an
 * iteration, a pattern scheduler's next due time, and the options stored on the iteration. Pure: no I/O,
 * the time is an argument. The scripts add what only Redis knows (an every scheduler's due time,
 * {@code jobId} and {@code delay}).
 */
public final class SchedulerPlanner {

  /**
   * An iteration to add.
   *
   * @param nextMillis a pattern scheduler's due time, {@code null} for every (the script computes it)
   * @param opts the iteration's {@code opts} without {@code jobId} and {@code delay}
   */
  public record Plan(Long nextMillis, ObjectNode opts) {}

  private SchedulerPlanner() {}

  /**
   * The first iteration of an upsert: {@code templateOpts} (compact keys) plus {@code repeat} (with
   * {@code count} 1), {@code timestamp}, {@code prevMillis} (patterns only) and {@code repeatJobKey}.
   *
   * @return empty when a pattern has no time left before its endDate
   */
  public static Optional<Plan> first(String schedulerId, RepeatOptions r, ObjectNode templateOpts, long now) {
    ObjectNode repeat = Json.MAPPER.createObjectNode();
    if (r.every() != null) {
      repeat.put("every", r.every());
    }
    if (r.pattern() != null) {
      repeat.put("pattern", r.pattern());
    }
    if (r.tz() != null) {
      repeat.put("tz", r.tz());
    }
    if (r.limit() != null) {
      repeat.put("limit", r.limit());
    }
    if (r.every() != null && r.offset() > 0) {
      repeat.put("offset", r.offset());
    }
    repeat.put("count", 1);
    if (r.startDate() != null && r.startDate() != 0) {
      repeat.put("startDate", r.startDate());
    }
    if (r.endDate() != null && r.endDate() != 0) {
      repeat.put("endDate", r.endDate());
    }
    Long nextMillis = null;
    if (r.pattern() != null) {
      OptionalLong next = r.immediately() ? OptionalLong.of(now)
          : cronNext(r.pattern(), r.tz(), now, r.startDate(), r.endDate());
      if (next.isEmpty()) {
        return Optional.empty();
      }
      nextMillis = Math.max(next.getAsLong(), now);
    }
    return Optional.of(new Plan(nextMillis, iterationOpts(templateOpts.deepCopy(), repeat, schedulerId, now,
        nextMillis)));
  }

  /**
   * The iteration that follows {@code jobOpts} (the stored opts of the iteration a worker took), as a bullmq
   * worker computes it at fetch.
   *
   * @return empty when the limit or the endDate is reached, or a pattern has no time left
   * @throws IllegalArgumentException when the stored repeat options are invalid (BullMQ's messages)
   */
  public static Optional<Plan> next(String schedulerId, JsonNode jobOpts, long now) {
    JsonNode stored = jobOpts.path("repeat");
    ObjectNode repeat = stored.isObject() ? ((ObjectNode) stored).deepCopy() : Json.MAPPER.createObjectNode();
    long every = repeat.path("every").asLong(0);
    String pattern = repeat.path("pattern").isTextual() ? repeat.get("pattern").asText() : null;
    if (pattern != null && pattern.isEmpty()) {
      pattern = null;
    }
    if (pattern != null && every != 0) {
      throw new IllegalArgumentException("Both .pattern and .every options are defined for this repeatable job");
    }
    if (pattern == null && every == 0) {
      throw new IllegalArgumentException("Either .pattern or .every options must be defined for this repeatable job");
    }
    long startDate = repeat.path("startDate").asLong(0);
    if (repeat.path("immediately").asBoolean(false) && startDate != 0) {
      throw new IllegalArgumentException("Both .immediately and .startDate options are defined for this repeatable job");
    }
    long count = repeat.path("count").asLong(0);
    long iterationCount = count != 0 ? count + 1 : 1;
    if (repeat.hasNonNull("limit") && iterationCount > repeat.get("limit").asLong()) {
      return Optional.empty();
    }
    long endDate = repeat.path("endDate").asLong(0);
    if (endDate != 0 && now > endDate) {
      return Optional.empty();
    }
    long base = Math.max(jobOpts.path("prevMillis").asLong(0), now);
    long offset = repeat.path("offset").asLong(0);
    boolean immediately = repeat.path("immediately").asBoolean(false);
    repeat.remove("immediately");
    Long nextMillis = null;
    if (pattern != null) {
      OptionalLong next = immediately ? OptionalLong.of(now)
          : cronNext(pattern, repeat.path("tz").isTextual() ? repeat.get("tz").asText() : null, base,
              startDate == 0 ? null : startDate, endDate == 0 ? null : endDate);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      nextMillis = Math.max(next.getAsLong(), base);
    }
    if (every != 0 && offset != 0) {
      repeat.put("offset", offset);
    } else {
      repeat.remove("offset");
    }
    repeat.put("count", iterationCount);
    if (startDate != 0) {
      repeat.put("startDate", startDate);
    } else {
      repeat.remove("startDate");
    }
    if (endDate != 0) {
      repeat.put("endDate", endDate);
    } else {
      repeat.remove("endDate");
    }
    ObjectNode opts = ((ObjectNode) jobOpts).deepCopy();
    if (!opts.has("attempts")) {
      opts.put("attempts", 0); // bullmq's Job constructor defaults it, and the worker copies the job's opts
    }
    return Optional.of(new Plan(nextMillis, iterationOpts(opts, repeat, schedulerId, now, nextMillis)));
  }

  private static ObjectNode iterationOpts(ObjectNode opts, ObjectNode repeat, String schedulerId, long now,
      Long nextMillis) {
    opts.remove("jobId");
    opts.remove("delay");
    opts.set("repeat", repeat);
    opts.put("timestamp", now);
    if (nextMillis != null) {
      opts.put("prevMillis", nextMillis);
    } else {
      opts.remove("prevMillis");
    }
    opts.put("repeatJobKey", schedulerId);
    return opts;
  }

  /**
   * BullMQ's {@code defaultRepeatStrategy}: the first time of {@code pattern} after {@code millis} (or after
   * startDate when that is later), none after endDate; without {@code tz} in the JVM's default zone (Node's
   * cron-parser uses the process's local zone).
   */
  public static OptionalLong cronNext(String pattern, String tz, long millis, Long startDate, Long endDate) {
    long current = startDate != null && startDate > millis ? startDate : millis;
    ZoneId zone = tz == null ? ZoneId.systemDefault() : ZoneId.of(tz); // cron-parser: the process's zone
    OptionalLong next = CronExpression.parse(pattern).next(current, zone);
    if (next.isPresent() && endDate != null && next.getAsLong() > endDate) {
      return OptionalLong.empty();
    }
    return next;
  }
}
