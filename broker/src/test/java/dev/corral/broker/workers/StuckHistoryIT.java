package dev.corral.broker.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StuckHistoryIT {

  private static final long HOUR = 3_600_000L;
  /** An hour boundary, so "hour k" below is exact. */
  private static final long T0 = 500_000L * HOUR;
  private static MutableClock clock;
  private static BrokerClient client;

  @BeforeAll
  static void connect() {
    clock = new MutableClock(T0);
    client = RedisTestSupport.newClient(clock);
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  private static StuckEvent event(String workflow, String name, StuckReason reason) {
    return new StuckEvent("etl", UUID.randomUUID().toString(), name, workflow == null ? null : "exec-1", workflow,
        "w-1", reason, "", 0);
  }

  @Test
  void eventsAreSummedPerWorkflowOrJobNameOverTheLastHours() {
    WorkerRegistry registry = new WorkerRegistry(client, "stuck-" + UUID.randomUUID().toString().substring(0, 8),
        RegistrySettings.defaults().withStuckRetention(Duration.ofHours(2)));
    StuckHistory history = new StuckHistory(client, registry);
    clock.set(T0 + 10);                   // hour 0
    history.record(List.of(event("nightly", "extract", StuckReason.STALLED),
        event(null, "resize", StuckReason.LOCK_LOST)));
    clock.set(T0 + 2 * HOUR + 5);         // hour 2
    history.record(List.of(event("nightly", "load", StuckReason.TIMEOUT)));
    clock.set(T0 + 3 * HOUR + 7);         // hour 3
    history.record(List.of(event("nightly", "load", StuckReason.TIMEOUT),
        event("nightly", "extract", StuckReason.DEAD_WORKER), event(null, "resize", StuckReason.STALLED)));

    // the last 2 hours (hours 2 and 3)
    StuckSummary nightly = history.forWorkflow("nightly", 2).orElseThrow();
    assertEquals(3, nightly.count());
    assertEquals(T0 + 3 * HOUR + 7, nightly.lastAt());
    assertEquals(Map.of(StuckReason.TIMEOUT, 2L, StuckReason.DEAD_WORKER, 1L), nightly.reasons());
    StuckSummary resize = history.forJobName("etl", "resize", 2).orElseThrow();
    assertEquals(1, resize.count());
    assertEquals(Map.of(StuckReason.STALLED, 1L), resize.reasons());

    // the last 4 hours reach hour 0
    assertEquals(4, history.forWorkflow("nightly", 4).orElseThrow().count());
    assertEquals(Map.of(StuckReason.STALLED, 1L, StuckReason.LOCK_LOST, 1L),
        history.forJobName("etl", "resize", 4).orElseThrow().reasons());
    List<StuckSummary> all = history.summaries(4);
    assertEquals(List.of("nightly", "resize"), all.stream()
        .map(s -> s.workflowId() != null ? s.workflowId() : s.jobName()).toList());

    // recent events, newest first, in full
    List<StuckEvent> recent = history.recent(4, 2);
    assertEquals(2, recent.size());
    assertEquals("resize", recent.get(0).jobName());
    assertEquals(T0 + 3 * HOUR + 7, recent.get(0).at());
    assertEquals("w-1", recent.get(0).workerId());

    // each bucket expires its retention after its hour ends (real Redis time: only the TTL is checked)
    long ttl = new RedisProbe(client).pttl(registry.keys().stuckBucket(500_003L));
    assertTrue(ttl > 0, "bucket has a TTL, was " + ttl);
  }

  @Test
  void aggregationIsPureAndIgnoresUnknownFields() {
    List<StuckSummary> out = new StuckAggregation()
        .add(Map.of("n|wf:a", "2", "last|wf:a", "10", "r|stalled|wf:a", "2", "junk", "1"))
        .add(Map.of("n|wf:a", "1", "last|wf:a", "30", "r|new-reason|wf:a", "1", "n|job:q:x:y", "1",
            "last|job:q:x:y", "5", "r|timeout|job:q:x:y", "1"))
        .summaries();
    assertEquals(new StuckSummary("a", null, null, 3, 30, Map.of(StuckReason.STALLED, 2L)), out.get(0));
    assertEquals(new StuckSummary(null, "q", "x:y", 1, 5, Map.of(StuckReason.TIMEOUT, 1L)), out.get(1));
  }
}
