package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.flow.FlowJob;
import dev.corral.broker.flow.FlowProducer;
import dev.corral.broker.support.Json;
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

/**
 * {@code deduplication.keepLastIfActive} against Redis: the add kept in {@code P dn:<id>} while the owner is
 * active, the job made from it when the owner finishes, and the removals that drop it.
 */
class DedupKeepLastIT {

  private static final long NOW = 1_795_314_988_360L;
  private static BrokerClient client;
  private static RedisProbe probe;
  private Queue queue;
  private ScriptDriver driver;

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
    queue = client.queue(RedisTestSupport.uniqueQueueName("keep"));
    driver = new ScriptDriver(queue);
  }

  private static final Deduplication KEEP = Deduplication.simple("k").withKeepLastIfActive();

  private static JobOptions keep(Deduplication de) {
    return JobOptions.builder().deduplication(de).build();
  }

  private static JsonNode json(String text) {
    return Json.parseLenient(text);
  }

  /** Adds the owner (id 1) and takes it into active without a lock. */
  private void activeOwner(Deduplication de) {
    assertEquals("1", queue.add("owner", Map.of("v", 1), keep(de)));
    assertEquals("1", driver.take("0"));
  }

  @Test
  void addsWhileTheOwnerIsActiveKeepOnlyTheLastOneInDn() {
    activeOwner(KEEP);
    assertEquals("1", queue.add("second", Map.of("v", 2), keep(KEEP)));
    JobOptions third = JobOptions.builder().delay(250).priority(4).deduplication(KEEP).build();
    assertEquals("1", queue.add("third", Map.of("v", 3), third));

    Map<String, String> kept = probe.hash(queue.keys().dedupNext("k"));
    assertEquals(Map.of("name", "third", "data", "{\"v\":3}", "jid", "3"), Map.of("name", kept.get("name"),
        "data", kept.get("data"), "jid", kept.get("jid")));
    assertEquals(json(third.toWireJson()), json(kept.get("opts")));
    assertEquals(4, kept.size());
    assertFalse(probe.exists(queue.keys().job("2")));
    assertFalse(probe.exists(queue.keys().job("3")));
    assertEquals("1", probe.string(queue.keys().dedup("k")));
    List<Map<String, String>> events = probe.stream(queue.keys().events());
    assertEquals(Map.of("event", "deduplicated", "jobId", "1", "deduplicationId", "k", "deduplicatedJobId", "3"),
        events.getLast());
    assertEquals(List.of("added", "waiting", "active", "deduplicated", "deduplicated"),
        probe.eventNames(queue.keys().events()));
  }

  @Test
  void anOwnerThatIsNotActiveOnlyDeduplicates() {
    queue.add("owner", null, keep(KEEP));
    assertEquals("1", queue.add("second", null, keep(KEEP)));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));
    assertEquals(List.of("added", "waiting", "deduplicated"), probe.eventNames(queue.keys().events()));
  }

  @Test
  void theKeyHasNoTtlInThisModeAndAThrottleKeyIsPersistedWhenAnAddIsKept() {
    queue.add("a", null, keep(Deduplication.throttle("a", 60_000).withKeepLastIfActive()));
    assertEquals(-1, probe.pttl(queue.keys().dedup("a")), "keepLastIfActive ignores the ttl");

    queue.add("t", null, keep(Deduplication.throttle("t", 60_000)));
    assertEquals("1", driver.take("0"));
    assertEquals("2", driver.take("0"));
    assertTrue(probe.pttl(queue.keys().dedup("t")) > 0);
    assertEquals("2", queue.add("t2", null, keep(Deduplication.throttle("t", 60_000).withKeepLastIfActive())));
    assertEquals(-1, probe.pttl(queue.keys().dedup("t")));
    assertEquals("3", probe.hash(queue.keys().dedupNext("t")).get("jid"));
  }

  @Test
  void whenTheOwnerCompletesTheKeptAddBecomesAJobWithItsJidBeforeTheCompletedEvent() {
    activeOwner(KEEP);
    queue.add("kept", Map.of("v", 2), JobOptions.builder().timestamp(NOW - 500).deduplication(KEEP).build());
    driver.completeAt("1", "0", "\"ok\"", NOW + 40);

    Map<String, String> job = probe.hash(queue.keys().job("2"));
    assertEquals("kept", job.get("name"));
    assertEquals("{\"v\":2}", job.get("data"));
    assertEquals(String.valueOf(NOW + 40), job.get("timestamp"), "the re-added job is stamped at the finish");
    assertEquals("k", job.get("deid"));
    assertEquals("3", probe.string(queue.keys().id()), "the re-add counts an id too");
    assertEquals(List.of("2"), probe.list(queue.keys().waitList()));
    assertEquals("2", probe.string(queue.keys().dedup("k")));
    assertEquals(-1, probe.pttl(queue.keys().dedup("k")));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));
    assertEquals(List.of("added", "waiting", "active", "deduplicated", "added", "waiting", "completed"),
        probe.eventNames(queue.keys().events()));
    assertEquals(List.of(Map.entry("0", 0.0)), probe.zset(queue.keys().marker()));
  }

  @Test
  void aFailedOwnerReAddsTooAndTheKeptDelayAndPriorityApply() {
    activeOwner(KEEP);
    queue.add("later", null, JobOptions.builder().delay(3000).deduplication(KEEP).build());
    driver.failAt("1", "0", "boom", NOW + 7);
    assertEquals((NOW + 7 + 3000) * 4096.0, probe.zscore(queue.keys().delayed(), "2"));
    assertEquals("3000", probe.hash(queue.keys().job("2")).get("delay"));

    Queue other = client.queue(RedisTestSupport.uniqueQueueName("keep-prio"));
    ScriptDriver otherDriver = new ScriptDriver(other);
    other.add("owner", null, keep(KEEP));
    otherDriver.take("0");
    other.add("urgent", null, JobOptions.builder().priority(3).deduplication(KEEP).build());
    otherDriver.complete("1", "0", "null");
    assertEquals(List.of("2"), probe.zset(other.keys().prioritized()).stream().map(Map.Entry::getKey).toList());
    assertEquals("3", probe.hash(other.keys().job("2")).get("priority"));
  }

  @Test
  void aKeptAddWithoutJidGetsTheCounterAndAStoredTtlWithoutKeepLastIsApplied() {
    // as a dn hash another writer could leave: no jid, opts without keepLastIfActive
    activeOwner(KEEP);
    client.redisson().<String, String>getMap(queue.keys().dedupNext("k"),
        org.redisson.client.codec.StringCodec.INSTANCE).putAll(Map.of("name", "n", "data", "{}",
        "opts", "{\"de\":{\"id\":\"k\",\"ttl\":5000},\"lifo\":true,\"attempts\":0}"));
    driver.complete("1", "0", "null");

    assertEquals("2", probe.string(queue.keys().id()));
    assertEquals("2", probe.string(queue.keys().dedup("k")));
    long pttl = probe.pttl(queue.keys().dedup("k"));
    assertTrue(pttl > 4000 && pttl <= 5000, "pttl " + pttl);
    assertEquals(List.of("2"), probe.list(queue.keys().waitList()));
  }

  @Test
  void aCustomJobIdIsKeptAsTheJid() {
    activeOwner(KEEP);
    queue.add("c", null, JobOptions.builder().jobId("next-run").deduplication(KEEP).build());
    driver.complete("1", "0", "null");
    assertEquals("c", probe.hash(queue.keys().job("next-run")).get("name"));
    assertEquals("next-run", probe.string(queue.keys().dedup("k")));
    assertEquals("3", probe.string(queue.keys().id()));
  }

  @Test
  void removingCleaningOrObliteratingTheOwnerDropsTheKeptAdd() {
    activeOwner(KEEP);
    queue.add("kept", null, keep(KEEP));
    assertTrue(queue.remove("1", false));
    assertFalse(probe.exists(queue.keys().dedup("k")));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));

    queue.add("owner", null, keep(KEEP));
    String owner = driver.take("0");
    queue.add("kept", null, keep(KEEP));
    assertEquals(List.of(owner), queue.clean(0, 10, JobState.ACTIVE));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));

    queue.add("owner", null, keep(KEEP));
    driver.take("0");
    queue.add("kept", null, keep(KEEP));
    queue.pause();
    queue.obliterate(true);
    assertFalse(probe.exists(queue.keys().dedup("k")));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));
  }

  @Test
  void removingAJobThatNoLongerOwnsTheKeyLeavesTheKeptAdd() {
    activeOwner(KEEP);
    queue.add("kept", null, keep(KEEP));
    client.redisson().<String>getBucket(queue.keys().dedup("k"), org.redisson.client.codec.StringCodec.INSTANCE)
        .set("other");
    assertTrue(queue.remove("1", false));
    assertTrue(probe.exists(queue.keys().dedupNext("k")));
  }

  @Test
  void aStaleKeyDropsTheKeptAddOfItsGoneOwner() {
    activeOwner(KEEP);
    queue.add("kept", null, keep(KEEP));
    client.redisson().getKeys().delete(queue.keys().job("1"));

    assertEquals("3", queue.add("fresh", null, keep(KEEP)));
    assertFalse(probe.exists(queue.keys().dedupNext("k")));
    assertEquals("3", probe.string(queue.keys().dedup("k")));
  }

  @Test
  void replaceReplacesADelayedOwnerDroppingItsKeptAddAndKeepsAnAddForAnActiveOne() {
    Deduplication de = Deduplication.debounce("d", 30_000).withKeepLastIfActive();
    activeOwner(de);
    assertEquals("1", queue.add("kept", null, keep(de)));
    assertEquals("2", probe.hash(queue.keys().dedupNext("d")).get("jid"));

    Queue delayed = client.queue(RedisTestSupport.uniqueQueueName("keep-replace"));
    JobOptions later = JobOptions.builder().delay(5000).deduplication(de).build();
    delayed.add("first", null, later);
    client.redisson().<String, String>getMap(delayed.keys().dedupNext("d"),
        org.redisson.client.codec.StringCodec.INSTANCE).put("name", "left over");
    assertEquals("2", delayed.add("second", null, later));
    assertFalse(probe.exists(delayed.keys().job("1")));
    assertFalse(probe.exists(delayed.keys().dedupNext("d")));
    assertEquals(-1, probe.pttl(delayed.keys().dedup("d")), "no ttl in keepLastIfActive mode");
  }

  @Test
  void aLoneFlowRootKeepsItsAddToo() {
    activeOwner(KEEP);
    new FlowProducer(client).add(FlowJob.of(queue.name(), "from-flow", Map.of("v", 9))
        .withOptions(JobOptions.builder().jobId("flow-kept").deduplication(KEEP).build()));
    Map<String, String> kept = probe.hash(queue.keys().dedupNext("k"));
    assertEquals("flow-kept", kept.get("jid"));
    assertFalse(kept.containsKey("pk"));
    assertFalse(probe.exists(queue.keys().job("flow-kept")));
  }
}
