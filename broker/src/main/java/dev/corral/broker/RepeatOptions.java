package dev.corral.broker;

import dev.corral.broker.schedule.CronExpression;
import dev.corral.broker.support.Checks;
import java.time.ZoneId;

/**
 * When a job scheduler runs: every {@code every} ms, or at the times of a cron {@code pattern} (in
 * {@code tz}), BullMQ 6.7.0's {@code RepeatOptions}. Validated when built; immutable.
 *
 * @param every interval in ms (at least 1), or {@code null} for a pattern scheduler
 * @param pattern cron pattern (5 or 6 fields, see {@link CronExpression}), or {@code null}
 * @param tz IANA time zone of the pattern (e.g. {@code Europe/Berlin}), or {@code null} for the JVM's default
 *     zone (bullmq: the Node process's local zone)
 * @param limit at most this many iterations (at least 1), or {@code null} for no limit
 * @param startDate no iteration before this time (ms since the epoch), or {@code null}
 * @param endDate no iteration after this time (ms), or {@code null}
 * @param offset shifts an {@code every} schedule's slots by this many ms (0 = none; a pattern ignores it)
 * @param immediately a pattern scheduler's first iteration runs now (an every scheduler's always does when
 *     there is no startDate); cannot be combined with startDate
 */
public record RepeatOptions(Long every, String pattern, String tz, Integer limit, Long startDate, Long endDate,
    long offset, boolean immediately) {

  /**
   * Validates every field, with BullMQ's messages for the combinations it rejects.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  public RepeatOptions {
    if (every != null && pattern != null) {
      throw new IllegalArgumentException("Both .pattern and .every options are defined for this repeatable job"
          + " (repeat.pattern '" + pattern + "', repeat.every " + every + ")");
    }
    if (every == null && (pattern == null || pattern.isEmpty())) {
      throw new IllegalArgumentException("Either .pattern or .every options must be defined for this repeatable"
          + " job (repeat.pattern " + (pattern == null ? "null" : "''") + ", repeat.every null)");
    }
    if (immediately && startDate != null) {
      throw new IllegalArgumentException("Both .immediately and .startDate options are defined for this"
          + " repeatable job (repeat.startDate " + startDate + ")");
    }
    if (every != null) {
      Checks.atLeast(every, 1, "repeat.every");
    }
    if (limit != null) {
      Checks.atLeast(limit, 1, "repeat.limit");
    }
    if (startDate != null) {
      Checks.atLeast(startDate, 0, "repeat.startDate");
    }
    if (endDate != null) {
      Checks.atLeast(endDate, 0, "repeat.endDate");
    }
    Checks.atLeast(offset, 0, "repeat.offset");
    if (tz != null) {
      Checks.isTrue(tz.equals("UTC") || ZoneId.getAvailableZoneIds().contains(tz),
          "repeat.tz must be an IANA time zone name such as Europe/Berlin, was '%s'", tz);
    }
    if (pattern != null) {
      CronExpression.parse(pattern); // throws IllegalArgumentException naming repeat.pattern
    }
  }

  /** A scheduler that runs every {@code ms} milliseconds. */
  public static Builder every(long ms) {
    Builder b = new Builder();
    b.every = ms;
    return b;
  }

  /** A scheduler that runs at the times of the cron {@code pattern}. */
  public static Builder pattern(String pattern) {
    Builder b = new Builder();
    b.pattern = Checks.notNull(pattern, "repeat.pattern");
    return b;
  }

  /** Builder for {@link RepeatOptions}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private Long every;
    private String pattern;
    private String tz;
    private Integer limit;
    private Long startDate;
    private Long endDate;
    private long offset;
    private boolean immediately;

    private Builder() {}

    public Builder tz(String value) {
      this.tz = value;
      return this;
    }

    public Builder limit(int value) {
      this.limit = value;
      return this;
    }

    public Builder startDate(long epochMillis) {
      this.startDate = epochMillis;
      return this;
    }

    public Builder endDate(long epochMillis) {
      this.endDate = epochMillis;
      return this;
    }

    public Builder offset(long ms) {
      this.offset = ms;
      return this;
    }

    public Builder immediately(boolean value) {
      this.immediately = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException see {@link RepeatOptions#RepeatOptions}
     */
    public RepeatOptions build() {
      return new RepeatOptions(every, pattern, tz, limit, startDate, endDate, offset, immediately);
    }
  }
}
