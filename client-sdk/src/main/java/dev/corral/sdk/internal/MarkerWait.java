package dev.corral.sdk.internal;

import dev.corral.broker.BlockingConnection;
import java.time.Clock;
import java.util.Optional;

/**
 * How an idle worker waits for work without polling: {@code BZPOPMIN} on the queue's marker for up to the
 * drain delay, or until the next delayed job is due. On Corral's own marker connection the block lasts to the
 * millisecond ({@link #blockMillis}), as BullMQ's; through Redisson (Sentinel, Cluster, TLS) blocks are whole
 * seconds (see the stack notes: Redisson mishandles fractional timeouts) and a wait shorter than a second is a
 * plain sleep ({@link #plan}, {@link #await}).
 */
public final class MarkerWait {

  private static final int MAX_BLOCK_SECONDS = 10;

  private final BlockingConnection connection;
  private final String markerKey;
  private final Clock clock;
  private final int drainDelaySeconds;

  public MarkerWait(BlockingConnection connection, String markerKey, Clock clock, int drainDelaySeconds) {
    this.connection = connection;
    this.markerKey = markerKey;
    this.clock = clock;
    this.drainDelaySeconds = drainDelaySeconds;
  }

  /**
   * The wait before the next fetch: a sleep of {@code sleepMs} (the next delayed job is due within a second),
   * or a marker block of {@code blockSeconds}; both 0 when a delayed job is due now.
   */
  public record Plan(long sleepMs, int blockSeconds) {}

  /**
   * The wait before the next fetch when the last one found nothing.
   *
   * @param nextDelayedDueMs when the next delayed job is due (0 when none is known)
   */
  public Plan plan(long nextDelayedDueMs) {
    int timeout = Math.max(1, drainDelaySeconds);
    if (nextDelayedDueMs <= 0) {
      return new Plan(0, timeout);
    }
    long wait = nextDelayedDueMs - clock.millis();
    if (wait <= 0) {
      return new Plan(0, 0);
    }
    if (wait < 1000) {
      return new Plan(wait, 0);
    }
    return new Plan(0, (int) Math.min(Math.min(timeout, MAX_BLOCK_SECONDS), (wait + 999) / 1000));
  }

  /**
   * How long a block on Corral's own marker connection lasts when the last fetch found nothing: the drain delay,
   * or until the next delayed job is due when that is sooner (at most 10 s, as BullMQ); 0 when one is due now.
   *
   * @param nextDelayedDueMs when the next delayed job is due (0 when none is known)
   */
  public long blockMillis(long nextDelayedDueMs) {
    long drainDelayMs = Math.min(Math.max(1, drainDelaySeconds), MAX_BLOCK_SECONDS) * 1000L;
    if (nextDelayedDueMs <= 0) {
      return drainDelayMs;
    }
    long wait = nextDelayedDueMs - clock.millis();
    return wait <= 0 ? 0 : Math.min(drainDelayMs, wait);
  }

  /**
   * Returns when there may be work: a base marker, a delayed job due, or the drain delay elapsed.
   *
   * @param nextDelayedDueMs when the next delayed job is due (0 when none is known)
   */
  public void await(long nextDelayedDueMs) throws InterruptedException {
    long blockUntil = nextDelayedDueMs;
    while (true) {
      Plan plan = plan(blockUntil);
      if (plan.sleepMs() > 0) {
        Thread.sleep(plan.sleepMs());
      }
      if (plan.blockSeconds() == 0) {
        return;
      }
      Optional<BlockingConnection.Popped> popped = connection.bzpopmin(markerKey, plan.blockSeconds());
      if (popped.isEmpty()) {
        return;
      }
      BlockingConnection.Popped p = popped.get();
      if ("0".equals(p.member()) || p.score() <= clock.millis() + 1) {
        return;
      }
      blockUntil = (long) p.score();
    }
  }
}
