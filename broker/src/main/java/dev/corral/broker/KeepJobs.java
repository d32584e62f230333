package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to keep of finished jobs ({@code removeOnComplete} / {@code removeOnFail}), with BullMQ's stored
 * forms: {@code true} (delete at once), {@code false} (keep all), a count, or {@code {age, count, limit}}.
 *
 * @param count how many of the newest finished jobs to keep; -1 keeps all, 0 deletes at once
 * @param ageSeconds delete finished jobs older than this many seconds; {@code null} for no age limit
 * @param limit at most this many jobs deleted by age per finish; {@code null} for BullMQ's default 1000
 * @param wire the stored JSON value (Boolean, Integer or Map)
 */
public record KeepJobs(int count, Long ageSeconds, Integer limit, Object wire) {

  /** Keep every finished job ({@code false}). */
  public static KeepJobs all() {
    return new KeepJobs(-1, null, null, Boolean.FALSE);
  }

  /** Delete the job as soon as it finishes ({@code true}). */
  public static KeepJobs none() {
    return new KeepJobs(0, null, null, Boolean.TRUE);
  }

  /**
   * Keep the newest {@code count} finished jobs.
   *
   * @throws IllegalArgumentException when count is negative
   */
  public static KeepJobs count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("keep count must be >= 0, was " + count);
    }
    return new KeepJobs(count, null, null, count);
  }

  /**
   * Keep jobs younger than {@code ageSeconds}, and at most {@code count} of them when count is not null.
   *
   * @throws IllegalArgumentException for a negative age, count or limit
   */
  public static KeepJobs age(long ageSeconds, Integer count, Integer limit) {
    if (ageSeconds < 0) {
      throw new IllegalArgumentException("keep age must be >= 0 seconds, was " + ageSeconds);
    }
    if (count != null && count < 0) {
      throw new IllegalArgumentException("keep count must be >= 0, was " + count);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("keep limit must be >= 1, was " + limit);
    }
    Map<String, Object> wire = new LinkedHashMap<>();
    wire.put("age", ageSeconds);
    if (count != null) {
      wire.put("count", count);
    }
    if (limit != null) {
      wire.put("limit", limit);
    }
    return new KeepJobs(count == null ? -1 : count, ageSeconds, limit, wire);
  }

  /**
   * Reads the stored form ({@code true}, {@code false}, a count, or {@code {age,count,limit}}).
   *
   * @return the policy, or null when {@code wire} is null or missing
   */
  public static KeepJobs fromWire(JsonNode wire) {
    if (wire == null || wire.isNull() || wire.isMissingNode()) {
      return null;
    }
    if (wire.isBoolean()) {
      return wire.asBoolean() ? none() : all();
    }
    if (wire.isNumber()) {
      return count(Math.max(0, wire.asInt()));
    }
    if (wire.isObject()) {
      JsonNode count = wire.get("count");
      JsonNode age = wire.get("age");
      JsonNode limit = wire.get("limit");
      if (age == null || !age.isNumber()) {
        return count != null && count.isNumber() ? count(Math.max(0, count.asInt())) : all();
      }
      return age(Math.max(0, age.asLong()), count != null && count.isNumber() ? Math.max(0, count.asInt()) : null,
          limit != null && limit.isNumber() && limit.asInt() >= 1 ? limit.asInt() : null);
    }
    return null;
  }
}
