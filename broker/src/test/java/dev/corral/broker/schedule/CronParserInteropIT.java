package dev.corral.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeBullmq;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CronExpression} (through {@link SchedulerPlanner#cronNext}, as the scheduler uses it) gives the same
 * next times as the real cron-parser 5.10.3 (bullmq's copy, run by {@code bullmq-cli.mjs cronNext}) for a
 * table of patterns × time zones × start instants, six times in a row from each start (each one a fresh
 * parse from the previous, as bullmq's defaultRepeatStrategy). The starts sit around the 2026 DST transitions
 * of Europe/Berlin, America/New_York and Australia/Sydney (before, inside the gap or the repeated hour, after),
 * at month and year ends, and at odd milliseconds. Patterns that cron-parser rejects are rejected too.
 */
class CronParserInteropIT {

  private static final int CHAIN = 6;

  private static final List<String> PATTERNS = List.of(
      "* * * * *", "*/5 * * * * *", "0 */15 * * * *", "30 2 * * *", "0 2 * * *", "15,45 1-3 * * *",
      "0 0 * * *", "0 3 * * *", "0 1 * * *", "0 0 1 * *", "0 0 L * *", "0 12 * * 5L", "0 9 * * 1#2",
      "0 9 * * MON-FRI", "0 0 1,15 * 1", "0 0 29 2 *", "0 0 31 * *", "5 4 * * sun", "0 0/30 * * * *",
      "0 22 * * 1-5", "0 0 12 * JAN,jul *", "@daily", "@weekly", "@hourly", "@monthly", "@weekdays",
      "0 30 1 * * ?", "0 0 * * 7", "0 0 * * 5-7", "0 1-5/2 * * *", "59 23 31 12 *", "0 0 0 1 1 *",
      "0 2 * * 0", "30 2 * * 0", "*/10 2 * * 0", "0 * * * 0", "0 0 L 2 *", "*/20 * 1-3 * * *",
      "0 30 * * * *", "10-20/5 3 * * *", "0 0 * 2 *", "0 0 30 2 1", "0 15 10 ? * 6L", "0 0 8 * * 2#5",
      "45 23 * * 6", "0 0 12 1/2 * *", "0 0 0 * * 1,3,5", "0 5 0 * 8 *", "3 3 3 3 3 *", "0 0 17 L 12 ?");

  private static final List<String> BAD = List.of(
      "61 * * * *", "* * * * * * *", "0 0 1,1 * *", "0 0 * * 0,7", "0 0 32 * *", "0 0 * 13 *",
      "0 0 * * L", "0 0 * * 1#6", "0 0 * * 1#2,3", "a b c d e", "5/0 * * * *", "0 0 * * funday",
      "0 0 10-5 * *", "0,, * * * *", "0 0 30 2 *");

  /** Instants around the 2026 DST transitions and other edges. */
  private static List<Long> starts() {
    List<Long> out = new ArrayList<>();
    for (String transition : List.of("2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-03-08T07:00:00Z",
        "2026-11-01T06:00:00Z", "2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z")) {
      long t = Instant.parse(transition).toEpochMilli();
      for (long d : new long[] {-5_400_000, -1_800_000, -1, 0, 1_800_000, 3_660_000}) {
        out.add(t + d);
      }
    }
    for (String other : List.of("2026-02-28T23:59:59.500Z", "2028-02-28T12:00:00Z", "2026-12-31T23:59:58.999Z",
        "2026-06-15T08:07:06.005Z")) {
      out.add(Instant.parse(other).toEpochMilli());
    }
    return out;
  }

  /** One time zone per run ("" = none: the process's zone, UTC on the test machines, in both runtimes). */
  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", ""})
  void nextTimesMatchCronParserAcrossDstTransitions(String zone) {
    NodeBullmq node = NodeBullmq.get();
    String tz = zone.isEmpty() ? null : zone;
    ArrayNode cases = Json.MAPPER.createArrayNode();
    for (String pattern : PATTERNS) {
      for (long start : starts()) {
        ObjectNode c = cases.addObject().put("pattern", pattern).put("currentDate", start).put("count", CHAIN);
        if (tz != null) {
          c.put("tz", tz);
        }
      }
    }
    ArrayNode results = Json.MAPPER.createArrayNode();
    for (int from = 0; from < cases.size(); from += 1000) {
      ArrayNode batch = Json.MAPPER.createArrayNode();
      for (int i = from; i < Math.min(cases.size(), from + 1000); i++) {
        batch.add(cases.get(i));
      }
      results.addAll((ArrayNode) node.run("cronNext", "-", batch).get("results"));
    }
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      JsonNode expected = results.get(i);
      assertTrue(expected.has("next"), "cron-parser rejected " + c + ": " + expected);
      List<Long> actual = chain(c.get("pattern").asText(), tz, c.get("currentDate").asLong(), null, null);
      List<Long> want = new ArrayList<>();
      expected.get("next").forEach(n -> want.add(n.isNull() ? null : n.asLong()));
      if (!want.equals(actual)) {
        mismatches.add(c + "\n  cron-parser " + render(want) + "\n  Corral      " + render(actual));
      }
      compared += want.size();
    }
    assertEquals(List.of(), mismatches, mismatches.size() + " mismatching chains");
    assertTrue(compared > 10_000, "compared " + compared);
  }

  @Test
  void startAndEndDatesBoundTheTimesAsInCronParser() {
    NodeBullmq node = NodeBullmq.get();
    long now = Instant.parse("2026-03-28T22:00:00Z").toEpochMilli();
    long start = Instant.parse("2026-03-29T00:30:00Z").toEpochMilli();
    long end = Instant.parse("2026-03-29T03:00:00Z").toEpochMilli();
    ArrayNode cases = Json.MAPPER.createArrayNode();
    for (String pattern : List.of("*/20 * * * *", "0 2 * * *", "30 * * * *")) {
      ObjectNode c = cases.addObject().put("pattern", pattern).put("tz", "Europe/Berlin").put("currentDate", now)
          .put("count", CHAIN).put("startDate", start).put("endDate", end);
      JsonNode expected = node.run("cronNext", "-", Json.MAPPER.createArrayNode().add(c)).get("results").get(0);
      List<Long> want = new ArrayList<>();
      expected.get("next").forEach(n -> want.add(n.isNull() ? null : n.asLong()));
      assertEquals(render(want), render(chain(pattern, "Europe/Berlin", now, start, end)), c.toString());
    }
  }

  @Test
  void patternsCronParserRejectsAreRejected() {
    NodeBullmq node = NodeBullmq.get();
    ArrayNode cases = Json.MAPPER.createArrayNode();
    BAD.forEach(p -> cases.addObject().put("pattern", p).put("currentDate", 0L).put("count", 1));
    JsonNode results = node.run("cronNext", "-", cases).get("results");
    for (int i = 0; i < BAD.size(); i++) {
      String pattern = BAD.get(i);
      assertTrue(results.get(i).has("error"), "cron-parser accepted " + pattern + ": " + results.get(i));
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> CronExpression.parse(pattern), pattern);
      assertTrue(e.getMessage().contains("repeat.pattern '" + pattern + "'"), e.getMessage());
    }
  }

  @Test
  void hashedValuesWhichCronParserDrawsAtRandomAreRejected() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> CronExpression.parse("H * * * *"));
    assertTrue(e.getMessage().contains("hashed values (H)"), e.getMessage());
  }

  /** Fresh next() calls from each result, null (and stop) when there is none: the Node side's shape. */
  private static List<Long> chain(String pattern, String zone, long from, Long startDate, Long endDate) {
    List<Long> out = new ArrayList<>();
    long current = from;
    for (int i = 0; i < CHAIN; i++) {
      OptionalLong next = SchedulerPlanner.cronNext(pattern, zone, current, startDate, endDate);
      if (next.isEmpty()) {
        out.add(null);
        break;
      }
      current = next.getAsLong();
      out.add(current);
    }
    return out;
  }

  private static String render(List<Long> times) {
    return times.stream().map(t -> t == null ? "none" : Instant.ofEpochMilli(t).toString()).toList().toString();
  }
}
