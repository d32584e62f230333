package dev.corral.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** How long an idle worker blocks on its own marker connection: the drain delay or until the next due job. */
class MarkerWaitTest {

  private static final long NOW = 1_795_315_200_000L;
  private final MutableClock clock = new MutableClock(NOW);

  private MarkerWait wait(int drainDelaySeconds) {
    return new MarkerWait(null, "bull:q:marker", clock, drainDelaySeconds);
  }

  @Test
  void withoutADelayedJobTheBlockIsTheDrainDelayAtMostTenSeconds() {
    assertEquals(5_000, wait(5).blockMillis(0));
    assertEquals(10_000, wait(30).blockMillis(0));
  }

  @Test
  void aDelayedJobDueSoonerShortensTheBlockToTheMillisecond() {
    assertEquals(1_400, wait(5).blockMillis(NOW + 1_400));
    assertEquals(3, wait(5).blockMillis(NOW + 3));
    assertEquals(5_000, wait(5).blockMillis(NOW + 60_000));
  }

  @Test
  void aDelayedJobDueNowNeedsNoBlock() {
    assertEquals(0, wait(5).blockMillis(NOW));
    assertEquals(0, wait(5).blockMillis(NOW - 10));
  }
}
