package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.support.Json;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

  @Test
  void defaultsAreStoredAsBullmqStoresThem() {
    assertEquals("{\"attempts\":0}", JobOptions.defaults().toWireJson());
    assertEquals(1, JobOptions.defaults().effectiveAttempts());
  }

  @Test
  void optionsUseBullmqsCompactKeys() {
    JobOptions o = JobOptions.builder().jobId("a-1").delay(10).priority(3).lifo(true).attempts(2)
        .backoff(Backoff.exponential(100).withJitter(0.5)).removeOnComplete(KeepJobs.none())
        .removeOnFail(KeepJobs.age(60, 5, null)).keepLogs(3).deduplication(Deduplication.throttle("d", 1000))
        .timestamp(7).build();
    assertEquals(Json.parseLenient("{\"jobId\":\"a-1\",\"delay\":10,\"priority\":3,\"lifo\":true,"
        + "\"backoff\":{\"delay\":100,\"type\":\"exponential\",\"jitter\":0.5},\"removeOnComplete\":true,"
        + "\"removeOnFail\":{\"age\":60,\"count\":5},\"kl\":3,\"de\":{\"id\":\"d\",\"ttl\":1000},\"timestamp\":7,"
        + "\"attempts\":2}"), Json.parseLenient(o.toWireJson()));
  }

  @Test
  void customIdsFollowBullmqsRules() {
    assertTrue(JobOptions.looksLikeInteger("42"));
    assertTrue(JobOptions.looksLikeInteger("-7"));
    assertFalse(JobOptions.looksLikeInteger("007"));
    assertFalse(JobOptions.looksLikeInteger("4a"));
    assertThrows(IllegalArgumentException.class, () -> JobOptions.validateJobId("42"));
    assertThrows(IllegalArgumentException.class, () -> JobOptions.validateJobId("0"));
    assertThrows(IllegalArgumentException.class, () -> JobOptions.validateJobId("0:x"));
    assertThrows(IllegalArgumentException.class, () -> JobOptions.validateJobId("a:b"));
    assertThrows(IllegalArgumentException.class, () -> JobOptions.validateJobId(""));
    JobOptions.validateJobId("repeat:s:1795315143874");
    JobOptions.validateJobId("order-77");
  }

  @Test
  void invalidValuesNameTheField() {
    assertMessage("priority", () -> JobOptions.builder().priority(-1).build());
    assertMessage("priority", () -> JobOptions.builder().priority(JobOptions.MAX_PRIORITY + 1).build());
    assertMessage("delay", () -> JobOptions.builder().delay(-5).build());
    assertMessage("attempts", () -> JobOptions.builder().attempts(0).build());
    assertMessage("keepLogs", () -> JobOptions.builder().keepLogs(0).build());
    assertMessage("backoff.type", () -> new Backoff("linear", 1, 0));
    assertMessage("backoff.jitter", () -> Backoff.fixed(1).withJitter(2));
    assertMessage("deduplication.id", () -> Deduplication.simple(""));
    assertMessage("keep count", () -> KeepJobs.count(-1));
  }

  @Test
  void rescheduleAndKeepLastIfActiveAreStoredInDeAndRescheduleIsRefusedWithReplace() {
    JobOptions o = JobOptions.builder().delay(100)
        .deduplication(Deduplication.throttle("d", 5000).withReschedule().withKeepLastIfActive()).build();
    assertEquals("{\"delay\":100,\"de\":{\"id\":\"d\",\"ttl\":5000,\"reschedule\":true,"
        + "\"keepLastIfActive\":true},\"attempts\":0}", o.toWireJson());
    assertEquals(new Deduplication("d", null, false, false, false, false), Deduplication.simple("d"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Deduplication.debounce("d", 5000).withReschedule());
    assertEquals("deduplication.reschedule cannot be combined with deduplication.replace (BullMQ ignores"
        + " reschedule when replace is set), was reschedule=true, replace=true", e.getMessage());
    // keepLastIfActive combines with every other mode, as in BullMQ
    Deduplication.debounce("d", 5000).withKeepLastIfActive();
    Deduplication.simple("d").withReschedule().withKeepLastIfActive();
  }

  private static void assertMessage(String field, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  @Test
  void keepJobsReadsEveryStoredForm() {
    assertEquals(KeepJobs.none(), KeepJobs.fromWire(Json.parseLenient("true")));
    assertEquals(KeepJobs.all(), KeepJobs.fromWire(Json.parseLenient("false")));
    assertEquals(KeepJobs.count(3), KeepJobs.fromWire(Json.parseLenient("3")));
    KeepJobs age = KeepJobs.fromWire(Json.parseLenient("{\"age\":60,\"limit\":10}"));
    assertEquals(-1, age.count());
    assertEquals(60L, age.ageSeconds());
    assertEquals(10, age.limit());
    assertEquals(null, KeepJobs.fromWire(null));
  }

  @Test
  void aParentFailurePolicyIsStoredUnderItsShortKey() {
    assertEquals("{\"fpof\":true,\"attempts\":0}",
        JobOptions.builder().failParentOnFailure(true).build().toWireJson());
    assertEquals("{\"idof\":true,\"attempts\":0}",
        JobOptions.builder().ignoreDependencyOnFailure(true).build().toWireJson());
    assertEquals(ParentFailurePolicy.CONTINUE_PARENT,
        JobOptions.builder().continueParentOnFailure(true).build().parentFailurePolicy());
    assertEquals(null, JobOptions.builder().removeDependencyOnFailure(true).removeDependencyOnFailure(false).build()
        .parentFailurePolicy());
  }

  @Test
  void parentFailurePoliciesAreMutuallyExclusive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobOptions.builder()
        .continueParentOnFailure(true).ignoreDependencyOnFailure(true).build());
    assertEquals("continueParentOnFailure and ignoreDependencyOnFailure are mutually exclusive: set at most one of "
        + "them", e.getMessage());
  }
}
