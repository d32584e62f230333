package dev.corral.broker.scripts;

/**
 * An upper bound of the offset of a client clock from Redis' clock, from {@code TIME} round trips: Redis read
 * its clock before the client read {@code after}, so {@code after - server} is never below the true offset and
 * exceeds it by at most the round trip. Timestamps made with it are never earlier than the client clock's time
 * at that moment, so a job fetched this way is never stamped processed before an earlier finish stamped by the
 * client (moveToFinished in turn never stamps a finish before processedOn). The estimate in use is the sample
 * with the shortest round trip among recent ones: a sample whose thread was descheduled mid-trip (milliseconds
 * under load) would otherwise push timestamps late by as much. A sample older than {@link #MAX_AGE_MICROS} gives
 * way to the newest, so clock steps are followed.
 *
 * <p>Pure; not thread-safe (one per connection, used by its thread).
 */
final class ClockOffset {

  /** How long the best sample stays in use before a newer one replaces it regardless of its round trip. */
  static final long MAX_AGE_MICROS = 30_000_000L;

  private boolean known;
  private long offsetMicros;
  private long roundTripMicros;
  private long takenAtMicros;

  /**
   * Adds a sample: the client read {@code beforeMicros} just before sending {@code TIME} and
   * {@code afterMicros} just after its reply, which said {@code serverMicros}.
   */
  void sample(long beforeMicros, long afterMicros, long serverMicros) {
    long roundTrip = Math.max(0, afterMicros - beforeMicros);
    long offset = afterMicros - serverMicros;
    if (!known || roundTrip <= roundTripMicros || afterMicros - takenAtMicros > MAX_AGE_MICROS
        || afterMicros < takenAtMicros) {
      known = true;
      offsetMicros = offset;
      roundTripMicros = roundTrip;
      takenAtMicros = afterMicros;
    }
  }

  /** Whether a sample was taken. */
  boolean hasSample() {
    return known;
  }

  /** Client clock minus Redis' clock, in µs, at most {@link #roundTripMicros()} too high (0 before any sample). */
  long offsetMicros() {
    return offsetMicros;
  }

  /** The round trip of the sample in use, in µs: the estimate's worst error. */
  long roundTripMicros() {
    return roundTripMicros;
  }
}
