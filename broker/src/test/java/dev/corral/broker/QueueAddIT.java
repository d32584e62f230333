package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueAddIT {

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
    queue = client.queue(RedisTestSupport.uniqueQueueName("add"));
  }

  private static JsonNode json(String text) {
    return Json.parseLenient(text);
  }

  @Test
  void aStandardJobIsStoredLikeBullmq() {
    String id = queue.add("email", Map.of("to", "a@b.c", "n", 1));

    assertEquals("1", id);
    Map<String, String> hash = probe.hash(queue.keys().job(id));
    assertEquals("email", hash.get("name"));
    assertEquals(json("{\"to\":\"a@b.c\",\"n\":1}"), json(hash.get("data")));
    assertEquals(json("{\"attempts\":0}"), json(hash.get("opts")));
    assertEquals(String.valueOf(NOW), hash.get("timestamp"));
    assertEquals("0", hash.get("delay"));
    assertEquals("0", hash.get("priority"));
    assertEquals(6, hash.size());
    assertEquals(List.of("1"), probe.list(queue.keys().waitList()));
    assertEquals(List.of(Map.entry("0", 0.0)), probe.zset(queue.keys().marker()));
    assertEquals("1", probe.string(queue.keys().id()));
    List<Map<String, String>> events = probe.stream(queue.keys().events());
    assertEquals(Map.of("event", "added", "jobId", "1", "name", "email"), events.get(0));
    assertEquals(Map.of("event", "waiting", "jobId", "1"), events.get(1));
    assertEquals("10000", probe.hash(queue.keys().meta()).get("opts.maxLenEvents"));
    assertEquals(Corral.LIBRARY, probe.hash(queue.keys().meta()).get("library"));
  }

  @Test
  void aDuplicateCustomIdChangesNothingButCountsAndEmitsDuplicated() {
    queue.add("a", Map.of("x", 1));
    String first = queue.add("custom", Map.of("x", 2), JobOptions.builder().jobId("order-77").build());
    String second = queue.add("custom", Map.of("x", 3), JobOptions.builder().jobId("order-77").build());

    assertEquals("order-77", first);
    assertEquals("order-77", second);
    assertEquals(json("{\"x\":2}"), json(probe.hash(queue.keys().job("order-77")).get("data")));
    assertEquals(json("{\"jobId\":\"order-77\",\"attempts\":0}"),
        json(probe.hash(queue.keys().job("order-77")).get("opts")));
    assertEquals("3", probe.string(queue.keys().id()));
    assertEquals(List.of("added", "waiting", "added", "waiting", "duplicated"),
        probe.eventNames(queue.keys().events()));
  }

  @Test
  void lifoJobsGoToTheConsumingEnd() {
    queue.add("a", null);
    queue.add("lifo", null, JobOptions.builder().lifo(true).build());
    queue.add("b", null);

    assertEquals(List.of("3", "1", "2"), probe.list(queue.keys().waitList()));
  }

  @Test
  void delayedJobsGetScoresWithASequenceWithinOneMillisecond() {
    JobOptions delay3s = JobOptions.builder().delay(3000).build();
    queue.add("later", Map.of("n", 1), delay3s);
    queue.add("later", Map.of("n", 2), delay3s);
    queue.add("later", Map.of("n", 3), JobOptions.builder().delay(1500).build());

    long due = NOW + 3000;
    assertEquals(due * 4096.0, probe.zscore(queue.keys().delayed(), "1"));
    assertEquals(due * 4096.0 + 1, probe.zscore(queue.keys().delayed(), "2"));
    assertEquals((NOW + 1500) * 4096.0, probe.zscore(queue.keys().delayed(), "3"));
    assertEquals(List.of(Map.entry("1", (double) (NOW + 1500))), probe.zset(queue.keys().marker()));
    Map<String, String> delayedEvent = probe.stream(queue.keys().events()).get(1);
    assertEquals(Map.of("event", "delayed", "jobId", "1", "delay", String.valueOf(due)), delayedEvent);
    assertEquals("3000", probe.hash(queue.keys().job("1")).get("delay"));
    assertEquals(json("{\"delay\":3000,\"attempts\":0}"), json(probe.hash(queue.keys().job("1")).get("opts")));
    assertEquals(JobState.DELAYED, queue.getState("1"));
  }

  @Test
  void prioritizedScoresArePriorityTimesTwoPow32PlusCounter() {
    queue.add("p5a", null, JobOptions.builder().priority(5).build());
    queue.add("p1", null, JobOptions.builder().priority(1).build());
    queue.add("nop", null);

    assertEquals(21474836481.0, probe.zscore(queue.keys().prioritized(), "1"));
    assertEquals(4294967298.0, probe.zscore(queue.keys().prioritized(), "2"));
    assertEquals(List.of("3"), probe.list(queue.keys().waitList()));
    assertEquals("2", probe.string(queue.keys().key("pc")));
    assertEquals(JobState.PRIORITIZED, queue.getState("1"));
    assertEquals(JobState.WAITING, queue.getState("3"));
    assertEquals(JobState.UNKNOWN, queue.getState("nope"));
  }

  @Test
  void addBulkStoresEveryJobInOrder() {
    List<String> ids = queue.addBulk(List.of(
        JobRequest.of("b1", Map.of("i", 1)),
        new JobRequest("b2", Map.of("i", 2), JobOptions.builder().jobId("bulk-2").attempts(3)
            .backoff(Backoff.fixed(1000)).removeOnComplete(KeepJobs.count(10))
            .removeOnFail(KeepJobs.age(3600, 100, null)).keepLogs(5).stackTraceLimit(3).build())));

    assertEquals(List.of("1", "bulk-2"), ids);
    assertEquals(json("{\"kl\":5,\"removeOnFail\":{\"age\":3600,\"count\":100},\"stackTraceLimit\":3,"
            + "\"jobId\":\"bulk-2\",\"removeOnComplete\":10,\"backoff\":{\"delay\":1000,\"type\":\"fixed\"},"
            + "\"attempts\":3}"),
        json(probe.hash(queue.keys().job("bulk-2")).get("opts")));
    assertEquals(List.of("bulk-2", "1"), probe.list(queue.keys().waitList()));
  }

  @Test
  void simpleDeduplicationReturnsTheOwnerAndEmitsDeduplicated() {
    JobOptions dedup = JobOptions.builder().deduplication(Deduplication.simple("user-42")).build();
    String first = queue.add("d", Map.of("v", 1), dedup);
    String second = queue.add("d", Map.of("v", 2), dedup);

    assertEquals("1", first);
    assertEquals("1", second);
    assertFalse(probe.exists(queue.keys().job("2")));
    assertEquals("1", probe.string(queue.keys().dedup("user-42")));
    assertEquals(-1, probe.pttl(queue.keys().dedup("user-42")));
    assertEquals("user-42", probe.hash(queue.keys().job("1")).get("deid"));
    Map<String, String> last = probe.stream(queue.keys().events()).getLast();
    assertEquals(Map.of("event", "deduplicated", "jobId", "1", "deduplicationId", "user-42",
        "deduplicatedJobId", "2"), last);
  }

  @Test
  void throttleDeduplicationSetsATtl() {
    queue.add("d", null, JobOptions.builder().deduplication(Deduplication.throttle("ttl-1", 60_000)).build());
    long pttl = probe.pttl(queue.keys().dedup("ttl-1"));
    assertTrue(pttl > 59_000 && pttl <= 60_000, "pttl " + pttl);
  }

  @Test
  void debounceReplacesAStillDelayedJob() {
    JobOptions debounce = JobOptions.builder().delay(5000).deduplication(Deduplication.debounce("deb-1", 5000))
        .build();
    queue.add("d", Map.of("v", 4), debounce);
    String second = queue.add("d", Map.of("v", 5), debounce);

    assertEquals("2", second);
    assertFalse(probe.exists(queue.keys().job("1")));
    assertEquals("2", probe.string(queue.keys().dedup("deb-1")));
    assertEquals(List.of("added", "delayed", "removed", "deduplicated", "added", "delayed"),
        probe.eventNames(queue.keys().events()));
  }

  @Test
  void invalidInputIsRejectedBeforeAnythingIsWritten() {
    assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().priority(2_097_152).build());
    assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().delay(-1).build());
    assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().attempts(0).build());
    assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().jobId("42").build());
    assertThrows(IllegalArgumentException.class, () -> new Backoff("linear", 10, 0));
    assertThrows(IllegalArgumentException.class, () -> client.queue("a:b"));
    assertThrows(IllegalArgumentException.class, () -> client.queue(""));
    Object unserialisable = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        return this;
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> queue.addBulk(List.of(JobRequest.of("ok", 1), JobRequest.of("bad", unserialisable))));
    assertTrue(e.getMessage().contains("jobs[1].data"), e.getMessage());
    assertFalse(probe.exists(queue.keys().id()));
    assertEquals(0, queue.getJobCount(JobState.WAITING));
  }
}
