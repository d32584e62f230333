package dev.corral.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeartbeatStateTest {

  @Test
  void theFirstHeartbeatIsDueAtOnceAndTheNextOneAnIntervalAfterASuccess() {
    HeartbeatState s = new HeartbeatState(5000, 1000);
    assertTrue(s.due(1000));
    assertTrue(s.needsRegistration());
    s.registered(1000);
    assertEquals(0, s.nextSeq());
    s.succeeded(1000);
    assertFalse(s.due(5999));
    assertEquals(4000, s.delayUntilDue(2000));
    assertTrue(s.due(6000));
    assertEquals(1, s.beats());
    assertEquals(1, s.nextSeq());
  }

  @Test
  void failuresAreCountedAndRetriedSoonerWithADoublingDelayCappedAtTheInterval() {
    HeartbeatState s = new HeartbeatState(1000, 0);
    s.failed(0);
    assertEquals(250, s.delayUntilDue(0));
    s.failed(250);
    assertEquals(500, s.delayUntilDue(250));
    s.failed(750);
    assertEquals(1000, s.delayUntilDue(750)); // 250 << 2
    s.failed(1750);
    assertEquals(1000, s.delayUntilDue(1750)); // 250 << 3, capped at the interval
    assertEquals(4, s.consecutiveFailures());
    assertEquals(4, s.totalFailures());
    s.succeeded(2750);
    assertEquals(0, s.consecutiveFailures());
    assertEquals(4, s.totalFailures());
    assertEquals(2750, s.lastSuccessAt());
  }

  @Test
  void aWorkerTheRegistryForgotRegistersAgainAtOnce() {
    HeartbeatState s = new HeartbeatState(1000, 0);
    s.registered(0);
    s.succeeded(0);
    assertFalse(s.needsRegistration());
    s.unregistered(300);
    assertTrue(s.needsRegistration());
    assertTrue(s.due(300));
  }
}
