package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** remove, clean, drain and obliterate against real Redis. */
class QueueRemovalIT {

  private static final long NOW = 1_795_315_234_604L;
  private static final MutableClock CLOCK = new MutableClock(NOW);
  private static BrokerClient client;
  private static RedisProbe probe;
  private Queue queue;
  private ScriptDriver driver;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(CLOCK);
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void newQueue() {
    CLOCK.set(NOW);
    queue = client.queue(RedisTestSupport.uniqueQueueName("removal"));
    driver = new ScriptDriver(queue);
  }

  private Map<String, String> lastEvent(Queue q) {
    return probe.stream(q.keys().events()).getLast();
  }

  private Set<String> keysOf(Queue q) {
    return new TreeSet<>(client.redisson().getKeys().getKeysStreamByPattern(q.keys().base() + "*").toList());
  }

  private Set<String> members(String setKey) {
    return Set.copyOf(client.redisson().<String>getSet(setKey, StringCodec.INSTANCE).readAll());
  }

  /** Writes a job scheduler and its current iteration the way BullMQ 6.7.0 stores them (A.19). */
  private String addSchedulerIteration(String schedulerId, long millis) {
    String jobId = "repeat:" + schedulerId + ":" + millis;
    client.redisson().getScoredSortedSet(queue.keys().key("repeat"), StringCodec.INSTANCE).add(millis, schedulerId);
    client.redisson().getMap(queue.keys().key("repeat:" + schedulerId), StringCodec.INSTANCE)
        .putAll(Map.of("name", "sj", "every", "60000", "ic", "1"));
    client.redisson().getMap(queue.keys().job(jobId), StringCodec.INSTANCE).putAll(Map.of("name", "sj",
        "data", "{}", "opts", "{}", "timestamp", String.valueOf(millis), "delay", "0", "priority", "0",
        "rjk", schedulerId));
    client.redisson().getList(queue.keys().waitList(), StringCodec.INSTANCE).add(0, jobId);
    return jobId;
  }

  // ---------------------------------------------------------------- remove

  @Test
  void removeDeletesAWaitingJobAndEmitsRemoved() {
    String id = queue.add("w", null);
    client.redisson().getList(queue.keys().logs(id), StringCodec.INSTANCE).add("line");

    assertTrue(queue.remove(id, true));

    assertFalse(probe.exists(queue.keys().job(id)));
    assertFalse(probe.exists(queue.keys().logs(id)));
    assertFalse(probe.exists(queue.keys().waitList()));
    assertEquals(Map.of("event", "removed", "jobId", id, "prev", "wait"), lastEvent(queue));
  }

  @Test
  void removeNamesTheStateTheJobWasIn() {
    String delayed = queue.add("d", null, JobOptions.builder().delay(1000).build());
    String prioritized = queue.add("p", null, JobOptions.builder().priority(1).build());

    queue.remove(delayed, false);
    assertEquals("delayed", lastEvent(queue).get("prev"));
    queue.remove(prioritized, false);
    assertEquals("prioritized", lastEvent(queue).get("prev"));
    queue.add("c", null);
    String completed = driver.takeAndComplete("1");
    queue.remove(completed, false);
    assertEquals("completed", lastEvent(queue).get("prev"));
    assertFalse(probe.exists(queue.keys().completed()));
  }

  @Test
  void removeOfAnUnknownIdReportsRemovedWithPrevUnknown() {
    assertTrue(queue.remove("nope", true));

    assertEquals(Map.of("event", "removed", "jobId", "nope", "prev", "unknown"), lastEvent(queue));
  }

  @Test
  void removeRefusesAJobLockedByAWorker() {
    queue.add("a", null);
    String id = driver.take("worker-1:1");

    assertFalse(queue.remove(id, true));

    assertTrue(probe.exists(queue.keys().job(id)));
    assertEquals(List.of(id), probe.list(queue.keys().active()));
    assertEquals("active", lastEvent(queue).get("event"));
  }

  @Test
  void removeTakesAnActiveJobWithoutALock() {
    queue.add("a", null);
    String id = driver.take("0");

    assertTrue(queue.remove(id, false));

    assertFalse(probe.exists(queue.keys().active()));
    assertEquals(Map.of("event", "removed", "jobId", id, "prev", "active"), lastEvent(queue));
  }

  @Test
  void removingTheLastChildReleasesTheParentFromWaitingChildren() {
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");
    driver.addChild("door", parents, "car");

    assertTrue(queue.remove("wheel", true));
    assertEquals(Set.of(queue.keys().job("door")), members(parents.keys().job("car") + ":dependencies"));
    assertEquals(JobState.WAITING_CHILDREN, parents.getState("car"));

    assertTrue(queue.remove("door", true));
    assertFalse(probe.exists(parents.keys().job("car") + ":dependencies"));
    assertEquals(List.of("car"), probe.list(parents.keys().waitList()));
    assertFalse(probe.exists(parents.keys().waitingChildren()));
    assertEquals(Map.of("event", "waiting", "jobId", "car", "prev", "waiting-children"), lastEvent(parents));
  }

  @Test
  void removingAParentRemovesItsChildrenInTheirQueue() {
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");
    driver.addChild("door", parents, "car");
    driver.takeAndComplete("4"); // wheel: now in the parent's :processed

    assertTrue(parents.remove("car", true));

    assertFalse(probe.exists(parents.keys().job("car")));
    assertFalse(probe.exists(parents.keys().job("car") + ":processed"));
    assertFalse(probe.exists(parents.keys().job("car") + ":dependencies"));
    assertFalse(probe.exists(queue.keys().job("wheel")));
    assertFalse(probe.exists(queue.keys().job("door")));
    assertFalse(probe.exists(queue.keys().completed()));
    assertFalse(probe.exists(queue.keys().waitList()));
    assertEquals(Map.of("event", "removed", "jobId", "car", "prev", "waiting-children"), lastEvent(parents));
    List<Map<String, String>> childEvents = probe.stream(queue.keys().events());
    assertEquals(2, childEvents.stream().filter(e -> e.get("event").equals("removed")).count());
  }

  @Test
  void removingAParentWithALockedChildIsRefused() {
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");
    driver.take("worker-1:1");

    assertFalse(parents.remove("car", true));
    assertTrue(probe.exists(parents.keys().job("car")));
    assertTrue(parents.remove("car", false));
    assertTrue(probe.exists(queue.keys().job("wheel")));
  }

  @Test
  void removeDeletesTheDeduplicationKeyPointingToTheJob() {
    String id = queue.add("d", null, JobOptions.builder().deduplication(Deduplication.simple("user-1")).build());

    assertTrue(queue.remove(id, true));

    assertFalse(probe.exists(queue.keys().dedup("user-1")));
  }

  @Test
  void removeRefusesTheCurrentIterationOfAJobScheduler() {
    String iteration = addSchedulerIteration("s1", NOW);

    BrokerException e = assertThrows(BrokerException.class, () -> queue.remove(iteration, true));

    assertEquals(ScriptError.JOB_BELONGS_TO_JOB_SCHEDULER, e.error());
    assertTrue(probe.exists(queue.keys().job(iteration)));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> queue.remove("", true));
    assertTrue(empty.getMessage().contains("jobId"));
    assertThrows(IllegalArgumentException.class, () -> queue.remove(null, true));
  }

  // ---------------------------------------------------------------- clean

  @Test
  void cleanDeletesFinishedJobsOlderThanTheGraceOldestFirstUpToTheLimit() {
    for (int i = 0; i < 4; i++) {
      queue.add("c" + i, null);
    }
    for (int i = 0; i < 4; i++) {
      driver.takeAndComplete("1");
      CLOCK.advance(1000);
    }
    // finishedOn: NOW, NOW+1000, NOW+2000, NOW+3000; now is NOW+4000

    List<String> cleaned = queue.clean(1500, 2, JobState.COMPLETED);

    assertEquals(List.of("1", "2"), cleaned);
    assertFalse(probe.exists(queue.keys().job("1")));
    assertEquals(List.of("3", "4"), probe.zset(queue.keys().completed()).stream().map(Map.Entry::getKey).toList());
    assertEquals(Map.of("event", "cleaned", "count", "2"), lastEvent(queue));
    assertEquals(List.of("3"), queue.clean(1500, 0, JobState.COMPLETED));
  }

  @Test
  void cleanOfWaitUsesTheJobTimestamp() {
    queue.add("old", null);
    CLOCK.advance(10_000);
    queue.add("new", null);

    assertEquals(List.of("1"), queue.clean(5000, 0, JobState.WAITING));

    assertEquals(List.of("2"), probe.list(queue.keys().waitList()));
    assertEquals(List.of(), queue.clean(5000, 0, JobState.WAITING));
    assertEquals(Map.of("event", "cleaned", "count", "0"), lastEvent(queue));
  }

  @Test
  void cleanOfActiveSkipsLockedJobs() {
    queue.add("a", null);
    queue.add("b", null);
    String locked = driver.take("worker-1:1");
    String unlocked = driver.take("0");

    assertEquals(List.of(unlocked), queue.clean(0, 0, JobState.ACTIVE));

    assertEquals(List.of(locked), probe.list(queue.keys().active()));
  }

  @Test
  void cleanOfDelayedAndPrioritized() {
    queue.add("d", null, JobOptions.builder().delay(60_000).build());
    queue.add("p", null, JobOptions.builder().priority(3).build());
    CLOCK.advance(1000);
    queue.add("d2", null, JobOptions.builder().delay(60_000).build());

    assertEquals(List.of("1"), queue.clean(500, 0, JobState.DELAYED));
    assertEquals(List.of("2"), queue.clean(500, 0, JobState.PRIORITIZED));

    assertEquals(List.of("3"), probe.zset(queue.keys().delayed()).stream().map(Map.Entry::getKey).toList());
    assertFalse(probe.exists(queue.keys().prioritized()));
  }

  @Test
  void cleanNeverDeletesASchedulersCurrentIterationAndDetachesChildren() {
    String iteration = addSchedulerIteration("s1", NOW);
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");

    assertEquals(List.of("wheel"), queue.clean(0, 0, JobState.WAITING));

    assertEquals(List.of(iteration), probe.list(queue.keys().waitList()));
    assertEquals(List.of("car"), probe.list(parents.keys().waitList()));
  }

  @Test
  void cleanValidatesBeforeWriting() {
    queue.add("w", null);

    IllegalArgumentException state =
        assertThrows(IllegalArgumentException.class, () -> queue.clean(0, 0, JobState.WAITING_CHILDREN));
    IllegalArgumentException grace =
        assertThrows(IllegalArgumentException.class, () -> queue.clean(-1, 0, JobState.WAITING));
    IllegalArgumentException limit =
        assertThrows(IllegalArgumentException.class, () -> queue.clean(0, -3, JobState.WAITING));
    assertThrows(IllegalArgumentException.class, () -> queue.clean(0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> queue.clean(0, 0, JobState.UNKNOWN));

    assertTrue(state.getMessage().contains("waiting-children"), state.getMessage());
    assertTrue(grace.getMessage().contains("graceMs") && grace.getMessage().contains("-1"));
    assertTrue(limit.getMessage().contains("limit") && limit.getMessage().contains("-3"));
    assertEquals(List.of("1"), probe.list(queue.keys().waitList()));
    assertEquals(2, probe.stream(queue.keys().events()).size());
  }

  // ---------------------------------------------------------------- drain

  @Test
  void drainDeletesWaitingAndPrioritizedJobsButKeepsDelayedAndTheSchedulerIteration() {
    queue.add("w", null);
    queue.add("p", null, JobOptions.builder().priority(2).build());
    queue.add("d", null, JobOptions.builder().delay(60_000).build());
    String iteration = addSchedulerIteration("s1", NOW);
    int events = probe.stream(queue.keys().events()).size();

    assertEquals(2, queue.drain(false));

    assertEquals(List.of(iteration), probe.list(queue.keys().waitList()));
    assertFalse(probe.exists(queue.keys().prioritized()));
    assertFalse(probe.exists(queue.keys().job("1")));
    assertFalse(probe.exists(queue.keys().job("2")));
    assertTrue(probe.exists(queue.keys().job("3")));
    assertEquals(JobState.DELAYED, queue.getState("3"));
    assertEquals(events, probe.stream(queue.keys().events()).size());

    assertEquals(1, queue.drain(true));
    assertFalse(probe.exists(queue.keys().delayed()));
    assertTrue(probe.exists(queue.keys().job(iteration)));
  }

  @Test
  void drainTakesDrainedChildrenOutOfTheirParent() {
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");

    assertEquals(1, queue.drain(true));

    assertFalse(probe.exists(parents.keys().job("car") + ":dependencies"));
    assertFalse(probe.exists(queue.keys().job("wheel")));
  }

  // ---------------------------------------------------------------- obliterate

  @Test
  void obliterateDeletesEverythingButTheLimiter() {
    queue.add("done", null);
    queue.add("bad", null);
    driver.takeAndComplete("1");
    driver.takeAndFail("x");
    client.redisson().getList(queue.keys().logs("1"), StringCodec.INSTANCE).add("line");
    new ScriptDriver(queue).addParent("par");
    driver.addChild("chi", queue, "par");
    queue.add("d", null, JobOptions.builder().deduplication(Deduplication.simple("x")).build());
    addSchedulerIteration("s1", NOW);
    queue.add("late", null, JobOptions.builder().delay(60_000).build());
    queue.add("prio", null, JobOptions.builder().priority(4).build());
    assertTrue(probe.exists(queue.keys().waitingChildren()));
    queue.setGlobalConcurrency(5);
    queue.rateLimit(60_000);
    assertTrue(keysOf(queue).size() > 10);

    queue.obliterate(false);

    assertEquals(Set.of(queue.keys().limiter()), keysOf(queue));
  }

  @Test
  void obliterateRefusesActiveJobsWithoutForceAndLeavesTheQueuePaused() {
    queue.add("a", null);
    queue.add("b", null);
    driver.take("worker-1:1");

    BrokerException e = assertThrows(BrokerException.class, () -> queue.obliterate(false));

    assertTrue(e.getMessage().contains("active jobs"), e.getMessage());
    assertTrue(queue.isPaused());
    assertEquals(1, queue.getJobCount(JobState.ACTIVE));
    assertEquals(1, queue.getJobCount(JobState.WAITING));

    queue.obliterate(true);
    assertEquals(Set.of(), keysOf(queue));
  }

  @Test
  void obliterateWorksInBatches() {
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      jobs.add(JobRequest.of("j", i));
    }
    queue.addBulk(jobs);
    queue.addBulk(jobs.subList(0, 600).stream()
        .map(j -> new JobRequest("d", j.data(), JobOptions.builder().delay(60_000).build())).toList());

    queue.obliterate(false);

    assertEquals(Set.of(), keysOf(queue));
  }
}
