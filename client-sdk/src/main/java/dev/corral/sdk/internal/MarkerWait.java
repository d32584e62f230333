package dev.corral.sdk.internal;

import dev.corral.broker.BlockingConnection;
import java.time.Clock;
import java.util.Optional;

/**
 * How an idle worker waits for work without polling: {@code BZPOPMIN} on the queue's marker for up to the
 * drain delay, or until the next delayed job is due. Whole-second blocks only (see the stack notes: Redisson
 * mishandles fractional timeouts); a wait shorter than a second is a plain sleep.
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
   * Returns when there may be work: a base marker, a delayed job due, or the drain delay elapsed.
   *
   * @param nextDelayedDueMs when the next delayed job is due (0 when none is known)
   */
  public void await(long nextDelayedDueMs) throws InterruptedException {
    long blockUntil = nextDelayedDueMs;
    while (true) {
      long now = clock.millis();
      int timeout = drainDelaySeconds;
      if (blockUntil > 0) {
        long wait = blockUntil - now;
        if (wait <= 0) {
          return;
        }
        if (wait < 1000) {
          Thread.sleep(wait);
          return;
        }
        timeout = (int) Math.min(Math.min(drainDelaySeconds, MAX_BLOCK_SECONDS), (wait + 999) / 1000);
      }
      Optional<BlockingConnection.Popped> popped = connection.bzpopmin(markerKey, timeout);
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
