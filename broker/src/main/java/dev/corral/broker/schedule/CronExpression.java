package dev.corral.broker.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A cron pattern evaluated as cron-parser 5.10.3 (what BullMQ 6.7.0 uses for {@code repeat.pattern}):
 * 5 or 6 fields (seconds first and optional, default 0; fewer fields are padded the same way), names
 * ({@code jan}, {@code mon}), {@code *}, {@code ?}, lists, ranges, steps, {@code L} (last day of the month;
 * {@code 5L} in day of week: the last Friday), {@code #} ({@code 1#2}: the second Monday), the predefined
 * {@code @yearly ... @weekends}. Day of month and day of week: when both are restricted a day matching either
 * runs, as cron-parser. Time zones: a local time skipped by a DST gap runs at the same minute after the gap;
 * a local time repeated by a DST overlap runs once (the first time) unless the search starts inside the
 * repeated hour. Hashed values ({@code H}), which cron-parser draws at random, are rejected. Pure and
 * immutable: no I/O, the time is an argument.
 */
public final class CronExpression {

  /** How far {@link #next} looks (cron-parser gives up after 10,000 steps; this covers leap days). */
  private static final int MAX_DAYS = 366 * 9;

  private static final Map<String, String> PREDEFINED = Map.of(
      "@yearly", "0 0 0 1 1 *", "@annually", "0 0 0 1 1 *", "@monthly", "0 0 0 1 * *",
      "@weekly", "0 0 0 * * 0", "@daily", "0 0 0 * * *", "@hourly", "0 0 * * * *",
      "@minutely", "0 * * * * *", "@secondly", "* * * * * *", "@weekdays", "0 0 0 * * 1-5",
      "@weekends", "0 0 0 * * 0,6");
  private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private final String pattern;
  private final boolean[] seconds = new boolean[60];
  private final boolean[] minutes = new boolean[60];
  private final boolean[] hours = new boolean[24];
  private final boolean[] months = new boolean[13];
  private final boolean[] daysOfMonth = new boolean[32];
  private final boolean[] daysOfWeek = new boolean[8];
  private final boolean[] lastWeekdays = new boolean[7];
  private final boolean domLast;
  private final boolean dowLast;
  private final boolean domWildcard;
  private final boolean dowWildcard;
  private final int nthDayOfWeek;
  private final boolean allHours;

  private CronExpression(String pattern, List<Object> second, List<Object> minute, List<Object> hour,
      List<Object> month, List<Object> dom, List<Object> dow, String rawDom, String rawDow, int nth) {
    this.pattern = pattern;
    mark(seconds, second);
    mark(minutes, minute);
    mark(hours, hour);
    mark(months, month);
    mark(daysOfMonth, dom);
    mark(daysOfWeek, dow);
    for (Object v : dow) {
      int day = Character.digit(v.toString().charAt(0), 10);
      if (day >= 0) {
        lastWeekdays[day % 7] = true;
      }
    }
    this.domLast = rawDom.contains("L");
    this.dowLast = rawDow.contains("L");
    this.domWildcard = rawDom.equals("*") || rawDom.equals("?");
    this.dowWildcard = rawDow.equals("*") || rawDow.equals("?");
    this.nthDayOfWeek = nth;
    boolean all = true;
    for (boolean h : hours) {
      all &= h;
    }
    this.allHours = all;
  }

  private static void mark(boolean[] set, List<Object> values) {
    for (Object v : values) {
      if (v instanceof Integer n) {
        set[n] = true;
      }
    }
  }

  /**
   * Parses {@code pattern}.
   *
   * @throws IllegalArgumentException naming {@code repeat.pattern} and the value, for what cron-parser rejects
   *     and for hashed values ({@code H})
   */
  public static CronExpression parse(String pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException("repeat.pattern cannot be null");
    }
    try {
      return doParse(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("repeat.pattern '" + pattern + "' is not a valid cron pattern: "
          + e.getMessage(), e);
    }
  }

  private static CronExpression doParse(String pattern) {
    String expression = PREDEFINED.getOrDefault(pattern, pattern);
    if (expression.isEmpty()) {
      expression = "0 * * * * *";
    }
    if (expression.length() > 1024) {
      throw new IllegalArgumentException("too long, expected at most 1024 characters");
    }
    String[] atoms = expression.trim().split("\\s+");
    if (atoms.length > 6) {
      throw new IllegalArgumentException("too many fields");
    }
    String[] f = {"0", "*", "*", "*", "*", "*"};
    System.arraycopy(atoms, 0, f, 6 - atoms.length, atoms.length);
    String rawDow = f[5];
    String dowValue = rawDow;
    int nth = 0;
    if (rawDow.contains("#")) {
      String[] parts = rawDow.split("#", -1);
      if (rawDow.matches(".*[,\\-/].*")) {
        throw new IllegalArgumentException("dayOfWeek '#' cannot be combined with ',', '-' or '/'");
      }
      if (parts.length != 2 || !parts[1].matches("[1-5]")) {
        throw new IllegalArgumentException("invalid dayOfWeek occurrence number (#), expected 1-5");
      }
      dowValue = parts[0];
      nth = Integer.parseInt(parts[1]);
    }
    List<Object> second = CronFieldParser.parse(CronFieldParser.SECOND, f[0]);
    List<Object> minute = CronFieldParser.parse(CronFieldParser.MINUTE, f[1]);
    List<Object> hour = CronFieldParser.parse(CronFieldParser.HOUR, f[2]);
    List<Object> month = CronFieldParser.parse(CronFieldParser.MONTH, CronFieldParser.replaceAliases(f[4]));
    List<Object> dom = CronFieldParser.parse(CronFieldParser.DAY_OF_MONTH, f[3]);
    List<Object> dow = CronFieldParser.parse(CronFieldParser.DAY_OF_WEEK, CronFieldParser.replaceAliases(dowValue));
    if (dow.contains("L")) {
      throw new IllegalArgumentException("unexpected standalone L in the dayOfWeek field");
    }
    if (month.size() == 1) {
      int days = DAYS_IN_MONTH[(Integer) month.get(0) - 1];
      List<Object> fitting = dom.stream().filter(v -> !(v instanceof Integer n) || n <= days).toList();
      if (!fitting.isEmpty()) {
        dom = fitting;
      }
    }
    boolean dowWildcard = rawDow.equals("*") || rawDow.equals("?");
    if (month.size() == 1 && !f[3].contains("L") && dowWildcard && dom.get(0) instanceof Integer first
        && first > DAYS_IN_MONTH[(Integer) month.get(0) - 1]) {
      throw new IllegalArgumentException("invalid explicit day of month definition (day " + first + " of month "
          + month.get(0) + ")");
    }
    return new CronExpression(pattern, second, minute, hour, month, dom, dow, f[3], rawDow, nth);
  }

  /** The pattern as given. */
  public String pattern() {
    return pattern;
  }

  /**
   * The first time of the pattern strictly after {@code afterMillis} (whole seconds), in {@code zone}.
   *
   * @return empty when there is none within nine years (cron-parser fails then too)
   */
  public OptionalLong next(long afterMillis, ZoneId zone) {
    long first = Math.floorDiv(afterMillis, 1000) * 1000 + 1000;
    ZonedDateTime start = Instant.ofEpochMilli(first).atZone(zone);
    LocalDate day = start.toLocalDate();
    for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
      if (!months[day.getMonthValue()] || !matchesDay(day)) {
        continue;
      }
      long best = Long.MAX_VALUE;
      for (int h = 0; h < 24; h++) {
        if (hours[h]) {
          best = Math.min(best, firstInHour(day, h, zone, first));
        }
      }
      if (best != Long.MAX_VALUE) {
        return OptionalLong.of(best);
      }
    }
    return OptionalLong.empty();
  }

  /** The earliest run in local hour {@code h} of {@code day} at or after {@code first}, or Long.MAX_VALUE. */
  private long firstInHour(LocalDate day, int h, ZoneId zone, long first) {
    // in a repeated (overlap) hour local order is not time order: look at every minute and second
    boolean overlap = zone.getRules().getValidOffsets(LocalDateTime.of(day, LocalTime.of(h, 0))).size() == 2
        || zone.getRules().getValidOffsets(LocalDateTime.of(day, LocalTime.of(h, 59, 59))).size() == 2;
    long best = Long.MAX_VALUE;
    for (int m = 0; m < 60; m++) {
      if (!minutes[m]) {
        continue;
      }
      for (int s = 0; s < 60; s++) {
        if (!seconds[s]) {
          continue;
        }
        long t = instant(LocalDateTime.of(day, LocalTime.of(h, m, s)), zone, first);
        if (t != Long.MAX_VALUE && !overlap) {
          return t;
        }
        best = Math.min(best, t);
      }
    }
    return best;
  }

  /**
   * A local time as an instant at or after {@code first}, or Long.MAX_VALUE, with cron-parser's DST rules.
   * A time skipped by a gap runs at the same minute after the gap, when the search started before the gap.
   * A time repeated by an overlap runs at both instants when the pattern has every hour; otherwise only at
   * the first, unless the search started inside the repeated hour (cron-parser skips the repeated hour only
   * when its walk steps into it, and only for patterns with fewer than 24 hours).
   */
  private long instant(LocalDateTime local, ZoneId zone, long first) {
    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
    if (offsets.size() == 1) {
      long t = local.toInstant(offsets.get(0)).toEpochMilli();
      return t >= first ? t : Long.MAX_VALUE;
    }
    ZoneOffsetTransition t = zone.getRules().getTransition(local);
    long transition = t.getInstant().toEpochMilli();
    if (offsets.isEmpty()) {
      if (first > transition) {
        return Long.MAX_VALUE;
      }
      return local.plusSeconds(t.getDuration().getSeconds()).toInstant(t.getOffsetAfter()).toEpochMilli();
    }
    long earlier = local.toInstant(t.getOffsetBefore()).toEpochMilli();
    if (earlier >= first) {
      return earlier;
    }
    long later = local.toInstant(t.getOffsetAfter()).toEpochMilli();
    boolean startedInside = first > transition;
    return later >= first && (allHours || startedInside) ? later : Long.MAX_VALUE;
  }

  private boolean matchesDay(LocalDate day) {
    int date = day.getDayOfMonth();
    int weekday = day.getDayOfWeek().getValue() % 7;
    boolean last = date == day.lengthOfMonth();
    boolean matchedDom = daysOfMonth[date] || (domLast && last);
    boolean lastWeek = date + 7 > day.lengthOfMonth();
    boolean matchedDow = (daysOfWeek[weekday] && (nthDayOfWeek <= 0 || (date + 6) / 7 == nthDayOfWeek))
        || (dowLast && lastWeek && lastWeekdays[weekday]);
    if (!domWildcard && !dowWildcard && (matchedDom || matchedDow)) {
      return true;
    }
    if (matchedDom && dowWildcard) {
      return true;
    }
    return domWildcard && !dowWildcard && matchedDow;
  }
}
