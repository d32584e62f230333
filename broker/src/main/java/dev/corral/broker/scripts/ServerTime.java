package dev.corral.broker.scripts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Reading Redis' {@code TIME} reply and a client clock's offset from it, in microseconds. Pure. */
final class ServerTime {

  private ServerTime() {}

  /** Microseconds since the epoch in a {@code TIME} reply ({@code [seconds, microseconds]} as text). */
  static long micros(Object timeReply) {
    if (!(timeReply instanceof List<?> parts) || parts.size() != 2) {
      throw new IllegalArgumentException("not a TIME reply: " + timeReply);
    }
    return Long.parseLong(String.valueOf(parts.get(0))) * 1_000_000
        + Long.parseLong(String.valueOf(parts.get(1)));
  }

  /** {@code clock}'s time in microseconds since the epoch. */
  static long micros(Clock clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
