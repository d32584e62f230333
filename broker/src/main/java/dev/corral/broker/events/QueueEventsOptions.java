package dev.corral.broker.events;

import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import java.time.Duration;

/**
 * Options of a {@link QueueEvents} reader. Immutable; thread-safe.
 *
 * @param prefix the queue's key prefix ({@code bull} by default)
 * @param startId {@link #LATEST} ({@code $}: only events written after {@link QueueEvents#start()}) or a
 *     stream entry id to resume after (events with a greater id are delivered; {@code 0-0} = all stored)
 * @param blockSeconds how long one {@code XREAD BLOCK} waits, 1..10 whole seconds (Redisson cannot time
 *     sub-second blocks; closing interrupts a block at once, so this only bounds idle round-trips)
 * @param batchSize at most this many entries per read
 * @param minRetryDelay first pause after a Redis error; doubled after each further error
 * @param maxRetryDelay longest pause between reconnection attempts
 */
public record QueueEventsOptions(
    String prefix, String startId, int blockSeconds, int batchSize, Duration minRetryDelay, Duration maxRetryDelay) {

  /** Start id meaning "only events written from now on". */
  public static final String LATEST = "$";

  /** Validates the options. */
  public QueueEventsOptions {
    Checks.notEmpty(prefix, "prefix");
    Checks.notEmpty(startId, "startId");
    Checks.isTrue(LATEST.equals(startId) || startId.matches("\\d+(-\\d+)?"),
        "startId must be '$' or a stream id like 1700000000000-0, was '%s'", startId);
    Checks.inRange(blockSeconds, 1, 10, "blockSeconds");
    Checks.inRange(batchSize, 1, 10_000, "batchSize");
    Checks.notNull(minRetryDelay, "minRetryDelay");
    Checks.notNull(maxRetryDelay, "maxRetryDelay");
    Checks.isTrue(!minRetryDelay.isNegative() && !minRetryDelay.isZero(), "minRetryDelay must be > 0, was %s",
        minRetryDelay);
    Checks.isTrue(maxRetryDelay.compareTo(minRetryDelay) >= 0, "maxRetryDelay must be >= minRetryDelay, was %s",
        maxRetryDelay);
  }

  /** Prefix {@code bull}, only new events, 10 s blocks, 100 per read, retries from 100 ms up to 5 s. */
  public static QueueEventsOptions defaults() {
    return new QueueEventsOptions(QueueKeys.DEFAULT_PREFIX, LATEST, 10, 100, Duration.ofMillis(100),
        Duration.ofSeconds(5));
  }

  /** These options with another key prefix. */
  public QueueEventsOptions withPrefix(String newPrefix) {
    return new QueueEventsOptions(newPrefix, startId, blockSeconds, batchSize, minRetryDelay, maxRetryDelay);
  }

  /** These options resuming after stream entry {@code id} (e.g. a saved {@link QueueEvents#lastEventId()}). */
  public QueueEventsOptions startAfter(String id) {
    return new QueueEventsOptions(prefix, id, blockSeconds, batchSize, minRetryDelay, maxRetryDelay);
  }

  /** These options starting with the events written after {@link QueueEvents#start()}. */
  public QueueEventsOptions fromLatest() {
    return startAfter(LATEST);
  }

  /** These options with another block time (1..10 s). */
  public QueueEventsOptions withBlockSeconds(int seconds) {
    return new QueueEventsOptions(prefix, startId, seconds, batchSize, minRetryDelay, maxRetryDelay);
  }

  /** These options with other reconnection pauses. */
  public QueueEventsOptions withRetryDelays(Duration min, Duration max) {
    return new QueueEventsOptions(prefix, startId, blockSeconds, batchSize, min, max);
  }
}
