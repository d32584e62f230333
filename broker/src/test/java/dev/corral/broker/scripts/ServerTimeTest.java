package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTimeTest {

  @Test
  void aTimeReplyIsSecondsAndMicroseconds() {
    assertEquals(1_764_000_000_123_999L, ServerTime.micros(List.of("1764000000", "123999")));
  }

  @Test
  void aClockIsReadToTheMicrosecond() {
    Clock fixed = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L, 123_456_789), ZoneOffset.UTC);
    assertEquals(1_764_000_000_123_456L, ServerTime.micros(fixed));
  }

  @Test
  void theOffsetIsTakenAtTheMiddleOfTheRoundTrip() {
    // read before at ...500.000 and after at ...500.080 (client); Redis said ...100.250: client 399.790 ms ahead
    assertEquals(399_790, ServerTime.offsetMicros(1_764_000_000_500_000L, 1_764_000_000_500_080L,
        List.of("1764000000", "100250")));
    assertEquals(-3_600_000_000L, ServerTime.offsetMicros(1_763_996_400_000_000L, 1_763_996_400_000_000L,
        List.of("1764000000", "0")));
  }

  @Test
  void somethingElseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerTime.micros("OK"));
    assertThrows(IllegalArgumentException.class, () -> ServerTime.micros(List.of("1")));
  }
}
