package dev.corral.broker.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseStateTest {

  private final LeaseState state = new LeaseState(1_000);

  @Test
  void takingTheLeaseElectsOnceAndLeadsUntilSentAtPlusTtl() {
    assertEquals(LeaseState.Change.ELECTED, state.taken(10_000));
    assertEquals(LeaseState.Change.NONE, state.taken(10_100), "taking it again changes nothing");
    assertTrue(state.isLeader(10_999));
    assertEquals(10_000, state.acquiredAt());
    assertEquals(500, state.remainingMs(10_600));
  }

  @Test
  void aRenewalMovesTheDeadlineFromWhenItWasSent() {
    state.taken(0);
    state.renewed(400);
    assertTrue(state.isLeader(1_399));
    assertFalse(state.isLeader(1_400));
    assertEquals(0, state.acquiredAt(), "renewals keep the start of the leadership");
  }

  @Test
  void aLeaseNotRenewedInTimeIsLostAtItsLocalDeadline() {
    state.taken(0);
    assertEquals(LeaseState.Change.NONE, state.check(999));
    assertEquals(LeaseState.Change.REVOKED, state.check(1_000));
    assertFalse(state.isLeader(1_000));
    assertEquals(-1, state.acquiredAt());
    assertEquals(LeaseState.Change.NONE, state.check(2_000), "revoked once");
  }

  @Test
  void aRefusedRenewalRevokesAtOnceAndOnlyOnce() {
    state.taken(0);
    assertEquals(LeaseState.Change.REVOKED, state.lost());
    assertFalse(state.isLeader(1));
    assertEquals(LeaseState.Change.NONE, state.lost());
    assertEquals(0, state.remainingMs(1));
  }

  @Test
  void aLateRenewalReplyNeverShortensTheDeadline() {
    state.taken(500);
    state.renewed(100); // an older request answered late
    assertTrue(state.isLeader(1_499));
  }

  @Test
  void leadershipRegainedAfterALossStartsAgain() {
    state.taken(0);
    state.lost();
    assertEquals(LeaseState.Change.ELECTED, state.taken(5_000));
    assertEquals(5_000, state.acquiredAt());
    assertTrue(state.isLeader(5_999));
  }
}
