package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The marker block's timeout as BZPOPMIN gets it: fractional seconds to the millisecond, clamped. */
class MarkerBlockTimeoutTest {

  @Test
  void millisecondsAreSentAsSecondsWithThreeDecimals() {
    assertEquals("1.400", MarkerConnection.blockTimeout(1_400));
    assertEquals("0.250", MarkerConnection.blockTimeout(250));
    assertEquals("5", MarkerConnection.blockTimeout(5_000));
    assertEquals("9.999", MarkerConnection.blockTimeout(9_999));
  }

  @Test
  void theTimeoutIsClampedBetweenTwoMillisecondsAndTenSeconds() {
    assertEquals("0.002", MarkerConnection.blockTimeout(0));
    assertEquals("0.002", MarkerConnection.blockTimeout(1));
    assertEquals("10", MarkerConnection.blockTimeout(60_000));
  }
}
