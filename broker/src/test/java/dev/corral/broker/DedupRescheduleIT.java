package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code deduplication.reschedule} against Redis: what moves, what does not, and what is written. */
class DedupRescheduleIT {

  private static final long NOW = 1_795_314_988_360L;
  private static BrokerClient client;
  private static RedisProbe probe;
  private Queue queue;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("resched"));
  }

  private static JobOptions opts(long delay, long timestamp, Deduplication de) {
    return JobOptions.builder().delay(delay).timestamp(timestamp).deduplication(de).build();
  }

  private double score(String jobId) {
    return probe.zscore(queue.keys().delayed(), jobId);
  }

  @Test
  void aDelayedOwnerMovesToTheNewAddsTimestampPlusDelayAndKeepsItsData() {
    Deduplication de = Deduplication.simple("r").withReschedule();
    assertEquals("1", queue.add("r", Map.of("v", 1), opts(5000, NOW, de)));
    String returned = queue.add("r", Map.of("v", 2), opts(20_000, NOW + 1000, de));

    assertEquals("1", returned);
    assertFalse(probe.exists(queue.keys().job("2")));
    assertEquals("2", probe.string(queue.keys().id()));
    Map<String, String> owner = probe.hash(queue.keys().job("1"));
    assertEquals("20000", owner.get("delay"));
    assertEquals(String.valueOf(NOW), owner.get("timestamp"), "the owner keeps its timestamp");
    assertEquals("{\"v\":1}", owner.get("data"));
    long due = NOW + 1000 + 20_000;
    assertEquals(due * 4096.0, score("1"));
    assertEquals(List.of(Map.entry("1", (double) due)), probe.zset(queue.keys().marker()));
    List<Map<String, String>> events = probe.stream(queue.keys().events());
    assertEquals(Map.of("event", "deduplicated", "jobId", "1", "deduplicationId", "r", "deduplicatedJobId", "2"),
        events.get(events.size() - 2));
    assertEquals(Map.of("event", "delayed", "jobId", "1", "delay", String.valueOf(due)), events.getLast());
  }

  @Test
  void withoutADelayTheOwnerIsDueAtTheAddsTimestampAndTakesTheNextSeqOfThatMillisecond() {
    Deduplication de = Deduplication.simple("r").withReschedule();
    queue.add("r", null, opts(60_000, NOW, de));
    queue.add("x", null, opts(10, NOW, null));
    queue.add("r", null, opts(0, NOW + 10, de));

    assertEquals("0", probe.hash(queue.keys().job("1")).get("delay"));
    assertEquals((NOW + 10) * 4096.0, score("2"));
    assertEquals((NOW + 10) * 4096.0 + 1, score("1"));
    assertEquals(List.of("2", "1"), probe.zset(queue.keys().delayed()).stream().map(Map.Entry::getKey).toList());
  }

  @Test
  void anOwnerThatIsNotDelayedIsNotMoved() {
    Deduplication de = Deduplication.simple("w").withReschedule();
    queue.add("w", null, opts(0, NOW, de));
    queue.add("w", null, opts(7000, NOW, de));
    assertEquals(List.of("1"), probe.list(queue.keys().waitList()));
    assertEquals("0", probe.hash(queue.keys().job("1")).get("delay"));

    new ScriptDriver(queue).take("0");
    queue.add("w", null, opts(7000, NOW, de));
    assertEquals(List.of("1"), probe.list(queue.keys().active()));
    assertEquals(List.of(), probe.zset(queue.keys().delayed()));
    assertEquals(List.of("added", "waiting", "deduplicated", "active", "deduplicated"),
        probe.eventNames(queue.keys().events()));
  }

  @Test
  void rescheduleLeavesTheTtlAloneUnlessExtendRefreshesIt() {
    Deduplication plain = Deduplication.throttle("t", 60_000).withReschedule();
    Deduplication extend = new Deduplication("e", 60_000L, true, false).withReschedule();
    queue.add("t", null, opts(5000, NOW, plain));
    queue.add("e", null, opts(5000, NOW, extend));
    client.redisson().getBucket(queue.keys().dedup("t")).expire(java.time.Duration.ofSeconds(2));
    client.redisson().getBucket(queue.keys().dedup("e")).expire(java.time.Duration.ofSeconds(2));

    queue.add("t", null, opts(9000, NOW, plain));
    queue.add("e", null, opts(9000, NOW, extend));

    assertTrue(probe.pttl(queue.keys().dedup("t")) <= 2000, "reschedule alone keeps the remaining ttl");
    assertTrue(probe.pttl(queue.keys().dedup("e")) > 50_000, "extend refreshes it");
    assertEquals((NOW + 9000) * 4096.0, score("1"));
    assertEquals((NOW + 9000) * 4096.0 + 1, score("2"));
  }

  @Test
  void aStaleKeyIsTakenOverInsteadOfRescheduling() {
    Deduplication de = Deduplication.simple("s").withReschedule();
    queue.add("s", null, opts(5000, NOW, de));
    client.redisson().getKeys().delete(queue.keys().job("1"));

    assertEquals("2", queue.add("s", null, opts(9000, NOW, de)));
    assertEquals("2", probe.string(queue.keys().dedup("s")));
    assertEquals((NOW + 5000) * 4096.0, score("1"), "the stale id is left where it was");
  }

  @Test
  void aBulkAddReschedulesWithinTheSameCall() {
    Deduplication de = Deduplication.simple("b").withReschedule();
    List<String> ids = queue.addBulk(List.of(new JobRequest("b", null, opts(5000, NOW, de)),
        new JobRequest("b", null, opts(1000, NOW, de))));
    assertEquals(List.of("1", "1"), ids);
    assertEquals((NOW + 1000) * 4096.0, score("1"));
    assertEquals("1000", probe.hash(queue.keys().job("1")).get("delay"));
  }

  @Test
  void rescheduleWithReplaceIsRefusedBeforeAnythingIsWritten() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> queue.add("x", null, JobOptions.builder()
            .deduplication(new Deduplication("x", 1000L, true, true, true, false)).build()));
    assertTrue(e.getMessage().contains("deduplication.reschedule"), e.getMessage());
    assertFalse(probe.exists(queue.keys().id()));
  }
}
