package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockOffsetTest {

  private static final long T = 1_764_000_000_000_000L;

  @Test
  void aSampleBoundsTheOffsetFromAboveByTheEndOfTheRoundTrip() {
    ClockOffset o = new ClockOffset();
    assertFalse(o.hasSample());
    o.sample(T + 1_000, T + 1_080, T - 399_000); // client 400.000..400.080 ms ahead
    assertTrue(o.hasSample());
    assertEquals(400_080, o.offsetMicros());
    assertEquals(80, o.roundTripMicros());
  }

  @Test
  void theShortestRecentRoundTripWinsOverASlowerNewerOne() {
    ClockOffset o = new ClockOffset();
    o.sample(T, T + 60, T + 30); // +30 µs, round trip 60
    o.sample(T + 1_000_000, T + 1_004_000, T + 1_000_500); // descheduled: 4 ms trip, would say +3.5 ms
    assertEquals(30, o.offsetMicros());
    o.sample(T + 2_000_000, T + 2_000_040, T + 2_000_020); // a shorter trip replaces it: +20 µs
    assertEquals(20, o.offsetMicros());
  }

  @Test
  void anOldBestSampleGivesWayToTheNewest() {
    ClockOffset o = new ClockOffset();
    o.sample(T, T + 40, T + 20);
    long later = T + ClockOffset.MAX_AGE_MICROS + 1_000;
    o.sample(later, later + 500, later - 5_000_000 + 250); // the client clock stepped 5 s ahead
    assertEquals(5_000_250, o.offsetMicros());
  }
}
