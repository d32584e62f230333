package dev.corral.broker.dag;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of a {@link DagCoordinator}. Immutable; thread-safe. Start from {@link #defaults()} and change
 * what differs with the {@code with…} methods.
 *
 * @param prefix the DAG (and node queues') key prefix, {@code bull} by default
 * @param followEvents whether to follow the node queues' event streams; {@code false} leaves only the sweep
 *     (slower: a node finished by a Node worker is seen at the next sweep)
 * @param blockTimeout how long one {@code XREAD BLOCK} over all followed streams waits, 1 ms .. 10 s; it also
 *     bounds how stale the followed queue set can be (it is re-read every round); default 1 s
 * @param batchSize at most this many entries per stream and read, 1 .. 10 000
 * @param sweepInterval pause between two reconciliation sweeps (the first runs at start), at least 10 ms;
 *     default 30 s
 * @param minRetryDelay first pause after a Redis error; doubled after each further error
 * @param maxRetryDelay longest pause between retries
 * @param errorListener called (on the coordinator's threads) with every error the loops survive, after it
 *     was logged; {@code null} = log only
 */
public record DagCoordinatorOptions(
    String prefix,
    boolean followEvents,
    Duration blockTimeout,
    int batchSize,
    Duration sweepInterval,
    Duration minRetryDelay,
    Duration maxRetryDelay,
    Consumer<Throwable> errorListener) {

  /** Validates the options. */
  public DagCoordinatorOptions {
    new DagKeys(prefix); // validates the prefix
    Checks.notNull(blockTimeout, "blockTimeout");
    Checks.isTrue(blockTimeout.toMillis() >= 1 && blockTimeout.compareTo(Duration.ofSeconds(10)) <= 0,
        "blockTimeout must be 1 ms .. 10 s, was %s", blockTimeout);
    Checks.inRange(batchSize, 1, 10_000, "batchSize");
    Checks.notNull(sweepInterval, "sweepInterval");
    Checks.isTrue(sweepInterval.toMillis() >= 10, "sweepInterval must be >= 10 ms, was %s", sweepInterval);
    Checks.notNull(minRetryDelay, "minRetryDelay");
    Checks.notNull(maxRetryDelay, "maxRetryDelay");
    Checks.isTrue(minRetryDelay.toMillis() >= 1, "minRetryDelay must be >= 1 ms, was %s", minRetryDelay);
    Checks.isTrue(maxRetryDelay.compareTo(minRetryDelay) >= 0, "maxRetryDelay must be >= minRetryDelay, was %s",
        maxRetryDelay);
  }

  /** Prefix {@code bull}, events followed with 1 s blocks, 100 per read, a sweep every 30 s, retries 100 ms .. 5 s. */
  public static DagCoordinatorOptions defaults() {
    return new DagCoordinatorOptions(QueueKeys.DEFAULT_PREFIX, true, Duration.ofSeconds(1), 100,
        Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5), null);
  }

  /** These options with another key prefix. */
  public DagCoordinatorOptions withPrefix(String value) {
    return new DagCoordinatorOptions(value, followEvents, blockTimeout, batchSize, sweepInterval, minRetryDelay,
        maxRetryDelay, errorListener);
  }

  /** These options with event following on or off (off: the sweep alone finishes nodes). */
  public DagCoordinatorOptions withFollowEvents(boolean value) {
    return new DagCoordinatorOptions(prefix, value, blockTimeout, batchSize, sweepInterval, minRetryDelay,
        maxRetryDelay, errorListener);
  }

  /** These options with another block timeout (1 ms .. 10 s). */
  public DagCoordinatorOptions withBlockTimeout(Duration value) {
    return new DagCoordinatorOptions(prefix, followEvents, value, batchSize, sweepInterval, minRetryDelay,
        maxRetryDelay, errorListener);
  }

  /** These options with another read batch size. */
  public DagCoordinatorOptions withBatchSize(int value) {
    return new DagCoordinatorOptions(prefix, followEvents, blockTimeout, value, sweepInterval, minRetryDelay,
        maxRetryDelay, errorListener);
  }

  /** These options with another sweep interval. */
  public DagCoordinatorOptions withSweepInterval(Duration value) {
    return new DagCoordinatorOptions(prefix, followEvents, blockTimeout, batchSize, value, minRetryDelay,
        maxRetryDelay, errorListener);
  }

  /** These options with other retry pauses. */
  public DagCoordinatorOptions withRetryDelays(Duration min, Duration max) {
    return new DagCoordinatorOptions(prefix, followEvents, blockTimeout, batchSize, sweepInterval, min, max,
        errorListener);
  }

  /** These options with an error listener (called after logging). */
  public DagCoordinatorOptions withErrorListener(Consumer<Throwable> value) {
    return new DagCoordinatorOptions(prefix, followEvents, blockTimeout, batchSize, sweepInterval, minRetryDelay,
        maxRetryDelay, value);
  }
}
