package dev.corral.broker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FetchedReplyTest {

  @Test
  void aTupleWithAHashHoldsAJobAndDecodesItOnDemand() {
    FetchedReply reply = FetchedReply.of(List.of(
        List.of("name", "resize", "data", "{\"w\":640}", "opts", "{\"attempts\":3}", "timestamp", "1700000000000"),
        "17", 0L, 0L));

    assertTrue(reply.hasJob());
    FetchResult result = reply.decode();
    assertEquals("17", result.job().id());
    assertEquals("resize", result.job().name());
    assertEquals(640, result.job().data().get("w").asInt());
    assertEquals(3, result.job().attempts());
  }

  @Test
  void aTupleWithoutAHashHoldsNoJobButKeepsTheRateLimitAndNextDelayedTime() {
    FetchedReply reply = FetchedReply.of(List.of(0L, 0L, 250L, 1700000005000L));

    assertFalse(reply.hasJob());
    FetchResult result = reply.decode();
    assertNull(result.job());
    assertEquals(250, result.rateLimitTtlMs());
    assertEquals(1700000005000L, result.nextDelayedDueMs());
  }

  @Test
  void aResultDecodedAlreadyIsReturnedAsItIs() {
    FetchResult empty = new FetchResult(null, 0, 42);
    FetchedReply reply = FetchedReply.decoded(empty);

    assertFalse(reply.hasJob());
    assertSame(empty, reply.decode());
  }
}
