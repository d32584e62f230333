package dev.corral.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link CronExpression} by hand (CronParserInteropIT compares it with cron-parser at scale). */
class CronExpressionTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static String next(String pattern, String after, ZoneId zone) {
    OptionalLong n = CronExpression.parse(pattern).next(Instant.parse(after).toEpochMilli(), zone);
    return n.isEmpty() ? "none" : Instant.ofEpochMilli(n.getAsLong()).toString();
  }

  @Test
  void fieldsListsRangesStepsAndNames() {
    assertEquals("2026-01-01T00:00:05Z", next("*/5 * * * * *", "2026-01-01T00:00:00Z", ZoneId.of("UTC")));
    assertEquals("2026-01-01T00:00:05Z", next("*/5 * * * * *", "2026-01-01T00:00:04.500Z", ZoneId.of("UTC")));
    assertEquals("2026-01-05T09:00:00Z", next("0 9 * * MON-FRI", "2026-01-02T09:00:00Z", ZoneId.of("UTC")));
    assertEquals("2026-01-31T00:00:00Z", next("0 0 L * *", "2026-01-02T00:00:00Z", ZoneId.of("UTC")));
    assertEquals("2026-01-30T12:00:00Z", next("0 12 * * 5L", "2026-01-02T00:00:00Z", ZoneId.of("UTC")));
    assertEquals("2026-01-12T09:00:00Z", next("0 9 * * 1#2", "2026-01-02T00:00:00Z", ZoneId.of("UTC")));
    assertEquals("2028-02-29T00:00:00Z", next("0 0 29 2 *", "2026-01-02T00:00:00Z", ZoneId.of("UTC")));
  }

  @Test
  void dstGapAndOverlapInBerlin() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 runs at 03:30 CEST when the search starts before
    assertEquals("2026-03-29T01:30:00Z", next("30 2 * * *", "2026-03-28T12:00:00Z", BERLIN));
    assertEquals("2026-03-30T00:30:00Z", next("30 2 * * *", "2026-03-29T01:00:00Z", BERLIN));
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET; a daily 02:30 runs once, an every-minute one twice
    assertEquals("2026-10-25T00:30:00Z", next("30 2 * * *", "2026-10-24T12:00:00Z", BERLIN));
    assertEquals("2026-10-26T01:30:00Z", next("30 2 * * *", "2026-10-25T00:30:00Z", BERLIN));
    assertEquals("2026-10-25T01:00:00Z", next("0 */15 * * * *", "2026-10-25T00:45:00Z", BERLIN));
  }

  @Test
  void rejectedPatternsNameTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("H * * * *"));
    assertEquals("repeat.pattern 'H * * * *' is not a valid cron pattern: hashed values (H) are random in "
        + "cron-parser and not supported", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 0 0,7 * * 0,7"));
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * * * * * *"));
  }
}
