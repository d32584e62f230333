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
  void somethingElseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerTime.micros("OK"));
    assertThrows(IllegalArgumentException.class, () -> ServerTime.micros(List.of("1")));
  }
}
