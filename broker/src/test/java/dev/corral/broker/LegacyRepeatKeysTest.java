package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link LegacyRepeatKeys}: BullMQ 5 repeat keys as bullmq 6.7.0's hasLegacyRepeatableKeyShape sees them. */
class LegacyRepeatKeysTest {

  @Test
  void legacyShapes() {
    assertTrue(LegacyRepeatKeys.hasLegacyShape("email:key::Europe/Berlin:0 * * * *"));
    assertTrue(LegacyRepeatKeys.hasLegacyShape("email:key:1795314988360::5000"));
    assertFalse(LegacyRepeatKeys.hasLegacyShape("tick"));
    assertFalse(LegacyRepeatKeys.hasLegacyShape("a:b:c:d:"));
    assertFalse(LegacyRepeatKeys.hasLegacyShape("a:b:x1:d:5000"));
    assertFalse(LegacyRepeatKeys.hasLegacyShape("a:b:c:d:five"));
  }
}
