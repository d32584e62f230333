package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** promote, promoteJobs, changeDelay, changePriority, retryJob and retryJobs against real Redis. */
class QueueJobAdminIT {

  private static final long NOW = 1_795_315_162_708L;
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
    queue = client.queue(RedisTestSupport.uniqueQueueName("jobadmin"));
    driver = new ScriptDriver(queue);
  }

  private static JobOptions delayed(long ms) {
    return JobOptions.builder().delay(ms).build();
  }

  private static JobOptions priority(int p) {
    return JobOptions.builder().priority(p).build();
  }

  private Map<String, String> lastEvent() {
    return probe.stream(queue.keys().events()).getLast();
  }

  // ---------------------------------------------------------------- promote

  @Test
  void promoteMovesADelayedJobToWaitWithTheMarkerAndResetsItsDelay() {
    String id = queue.add("d", null, delayed(5000));

    queue.promote(id);

    assertEquals(List.of(id), probe.list(queue.keys().waitList()));
    assertFalse(probe.exists(queue.keys().delayed()));
    assertEquals("0", probe.hash(queue.keys().job(id)).get("delay"));
    assertEquals(0.0, probe.zscore(queue.keys().marker(), "0"));
    assertEquals(Map.of("event", "waiting", "jobId", id, "prev", "delayed"), lastEvent());
    assertEquals(JobState.WAITING, queue.getState(id));
  }

  @Test
  void promoteSendsAJobWithAPriorityToPrioritizedWithANewCounter() {
    String id = queue.add("d", null, JobOptions.builder().delay(1000).priority(3).build());

    queue.promote(id);

    assertEquals(3 * 4294967296.0 + 1, probe.zscore(queue.keys().prioritized(), id));
    assertEquals("1", probe.string(queue.keys().key("pc")));
    assertFalse(probe.exists(queue.keys().waitList()));
  }

  @Test
  void promoteOnAPausedQueueAddsNoMarker() {
    String id = queue.add("d", null, delayed(5000));
    queue.pause();

    queue.promote(id);

    assertEquals(List.of(id), probe.list(queue.keys().waitList()));
    assertFalse(probe.exists(queue.keys().marker()));
  }

  @Test
  void promoteOfAJobThatIsNotDelayedFailsWithJobNotInState() {
    String id = queue.add("w", null);
    int events = probe.stream(queue.keys().events()).size();

    BrokerException e = assertThrows(BrokerException.class, () -> queue.promote(id));

    assertEquals(ScriptError.JOB_NOT_IN_STATE, e.error());
    assertEquals("Job " + id + " is not in the delayed state. promote", e.getMessage());
    assertEquals(List.of(id), probe.list(queue.keys().waitList()));
    assertEquals(events, probe.stream(queue.keys().events()).size());
    assertThrows(BrokerException.class, () -> queue.promote("missing"));
  }

  @Test
  void promoteJobsMovesEveryDelayedJobToWaitInBatchesIgnoringPriority() {
    queue.add("a", null, delayed(1000));
    queue.add("b", null, delayed(2000));
    queue.add("c", null, JobOptions.builder().delay(3000).priority(4).build());
    queue.add("d", null, delayed(4000));
    queue.add("e", null, delayed(5000));

    long moved = queue.promoteJobs(2);

    assertEquals(5, moved);
    assertEquals(List.of("5", "4", "3", "2", "1"), probe.list(queue.keys().waitList()));
    assertFalse(probe.exists(queue.keys().delayed()));
    assertFalse(probe.exists(queue.keys().prioritized()));
    assertEquals("0", probe.hash(queue.keys().job("3")).get("delay"));
    List<Map<String, String>> events = probe.stream(queue.keys().events());
    assertEquals(Map.of("event", "waiting", "jobId", "1", "prev", "delayed"), events.get(events.size() - 5));
    assertEquals(0.0, probe.zscore(queue.keys().marker(), "0"));
    assertEquals(0, queue.promoteJobs(1000));
  }

  // ---------------------------------------------------------------- changeDelay

  @Test
  void changeDelayReschedulesFromNowAndEmitsTheNewDueTime() {
    String id = queue.add("d", null, delayed(5000));
    queue.pause();
    CLOCK.advance(100);

    queue.changeDelay(id, 120_000);

    long due = NOW + 100 + 120_000;
    assertEquals(due * 4096.0, probe.zscore(queue.keys().delayed(), id));
    assertEquals("120000", probe.hash(queue.keys().job(id)).get("delay"));
    assertEquals(Map.of("event", "delayed", "jobId", id, "delay", String.valueOf(due)), lastEvent());
    // the delay marker is set even while paused, as BullMQ
    assertEquals(List.of(Map.entry("1", (double) due)), probe.zset(queue.keys().marker()));
  }

  @Test
  void changeDelayOfAJobThatIsNotDelayedFails() {
    String id = queue.add("w", null);

    BrokerException notDelayed = assertThrows(BrokerException.class, () -> queue.changeDelay(id, 1000));
    BrokerException missing = assertThrows(BrokerException.class, () -> queue.changeDelay("nope", 1000));

    assertEquals(ScriptError.JOB_NOT_IN_STATE, notDelayed.error());
    assertEquals(ScriptError.JOB_NOT_EXIST, missing.error());
    assertEquals("0", probe.hash(queue.keys().job(id)).get("delay"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.changeDelay(id, -1));
    assertTrue(e.getMessage().contains("delayMs"), e.getMessage());
  }

  // ---------------------------------------------------------------- changePriority

  @Test
  void changePriorityRequeuesAPrioritizedJobWithANewCounter() {
    String id = queue.add("p", null, priority(5));

    queue.changePriority(id, 1, false);

    assertEquals(4294967298.0, probe.zscore(queue.keys().prioritized(), id));
    assertEquals("2", probe.string(queue.keys().key("pc")));
    assertEquals("1", probe.hash(queue.keys().job(id)).get("priority"));
  }

  @Test
  void changePriorityWithLifoPutsTheJobAtTheFrontOfItsPriority() {
    String id = queue.add("p", null, priority(5));

    queue.changePriority(id, 2, true);

    assertEquals(2 * 4294967296.0, probe.zscore(queue.keys().prioritized(), id));
  }

  @Test
  void changePriorityToZeroMovesTheJobToWaitAndBack() {
    queue.add("w", null);
    String id = queue.add("p", null, priority(5));

    queue.changePriority(id, 0, true);
    assertEquals(List.of("1", id), probe.list(queue.keys().waitList()));
    assertFalse(probe.exists(queue.keys().prioritized()));

    queue.changePriority(id, 7, false);
    assertEquals(List.of("1"), probe.list(queue.keys().waitList()));
    assertEquals(7 * 4294967296.0 + 2, probe.zscore(queue.keys().prioritized(), id));
    int events = probe.stream(queue.keys().events()).size();
    assertEquals(4, events); // added+waiting twice: changePriority emits nothing
  }

  @Test
  void changePriorityOfADelayedJobOnlyChangesTheField() {
    String id = queue.add("d", null, delayed(5000));

    queue.changePriority(id, 9, false);

    assertEquals("9", probe.hash(queue.keys().job(id)).get("priority"));
    assertEquals(JobState.DELAYED, queue.getState(id));
    queue.promote(id);
    assertEquals(JobState.PRIORITIZED, queue.getState(id));
  }

  @Test
  void changePriorityValidatesBeforeWriting() {
    String id = queue.add("p", null, priority(5));
    double score = probe.zscore(queue.keys().prioritized(), id);

    IllegalArgumentException tooHigh =
        assertThrows(IllegalArgumentException.class, () -> queue.changePriority(id, 2_097_152, false));
    assertThrows(IllegalArgumentException.class, () -> queue.changePriority(id, -1, false));
    assertThrows(IllegalArgumentException.class, () -> queue.changePriority("", 1, false));
    BrokerException missing = assertThrows(BrokerException.class, () -> queue.changePriority("nope", 1, false));

    assertTrue(tooHigh.getMessage().contains("priority") && tooHigh.getMessage().contains("2097152"));
    assertEquals(ScriptError.JOB_NOT_EXIST, missing.error());
    assertEquals(score, probe.zscore(queue.keys().prioritized(), id));
    assertEquals("5", probe.hash(queue.keys().job(id)).get("priority"));
  }

  // ---------------------------------------------------------------- retryJob

  @Test
  void retryJobPutsACompletedJobBackToWaitWithoutItsResult() {
    queue.add("c", null);
    String id = driver.takeAndComplete("{\"ok\":true}");
    assertTrue(probe.hash(queue.keys().job(id)).containsKey("returnvalue"));

    queue.retryJob(id, JobState.COMPLETED);

    Map<String, String> hash = probe.hash(queue.keys().job(id));
    assertFalse(hash.containsKey("returnvalue"));
    assertFalse(hash.containsKey("finishedOn"));
    assertFalse(hash.containsKey("processedOn"));
    assertEquals("1", hash.get("atm"));
    assertEquals("1", hash.get("ats"));
    assertFalse(probe.exists(queue.keys().completed()));
    assertEquals(List.of(id), probe.list(queue.keys().waitList()));
    assertEquals(Map.of("event", "waiting", "jobId", id, "prev", "completed"), lastEvent());
  }

  @Test
  void retryJobOfAFailedJobHonoursPriorityAndCanResetAttempts() {
    queue.add("f", null, priority(2));
    String id = driver.takeAndFail("boom");

    queue.retryJob(id, JobState.FAILED, true, true);

    Map<String, String> hash = probe.hash(queue.keys().job(id));
    assertFalse(hash.containsKey("failedReason"));
    assertNull(hash.get("atm"));
    assertNull(hash.get("ats"));
    assertEquals(JobState.PRIORITIZED, queue.getState(id));
    assertEquals(Map.of("event", "waiting", "jobId", id, "prev", "failed"), lastEvent());
  }

  @Test
  void retryJobOfALifoJobGoesToTheFront() {
    queue.add("l", null, JobOptions.builder().lifo(true).build());
    String id = driver.takeAndComplete("1");
    queue.add("w", null);

    queue.retryJob(id, JobState.COMPLETED);

    assertEquals(List.of("2", id), probe.list(queue.keys().waitList()));
  }

  @Test
  void retryJobRelinksAChildToItsParent() {
    Queue parents = client.queue(RedisTestSupport.uniqueQueueName("parents"));
    new ScriptDriver(parents).addParent("car");
    driver.addChild("wheel", parents, "car");
    driver.addChild("door", parents, "car");
    driver.takeAndComplete("4");
    String parentKey = parents.keys().job("car");
    assertEquals(Map.of(queue.keys().job("wheel"), "4"), probe.hash(parentKey + ":processed"));

    queue.retryJob("wheel", JobState.COMPLETED);

    assertEquals(Set.of(queue.keys().job("wheel"), queue.keys().job("door")),
        Set.copyOf(client.redisson().<String>getSet(parentKey + ":dependencies", StringCodec.INSTANCE).readAll()));
    assertFalse(probe.exists(parentKey + ":processed"));
  }

  @Test
  void retryJobFailsWhenTheJobIsNotInThatState() {
    queue.add("c", null);
    String id = driver.takeAndComplete("1");

    BrokerException wrongState = assertThrows(BrokerException.class, () -> queue.retryJob(id, JobState.FAILED));
    BrokerException missing = assertThrows(BrokerException.class, () -> queue.retryJob("x", JobState.FAILED));
    IllegalArgumentException badFrom =
        assertThrows(IllegalArgumentException.class, () -> queue.retryJob(id, JobState.WAITING));

    assertEquals(ScriptError.JOB_NOT_IN_STATE, wrongState.error());
    assertEquals(ScriptError.JOB_NOT_EXIST, missing.error());
    assertTrue(badFrom.getMessage().contains("from") && badFrom.getMessage().contains("waiting"));
    assertEquals(JobState.COMPLETED, queue.getState(id));
  }

  // ---------------------------------------------------------------- retryJobs

  @Test
  void retryJobsMovesFailedJobsFinishedBeforeTheTimestampInBatches() {
    for (int i = 0; i < 5; i++) {
      queue.add("f" + i, null);
    }
    driver.takeAndFail("a");
    driver.takeAndFail("b");
    driver.takeAndFail("c");
    CLOCK.advance(1000);
    driver.takeAndFail("d");
    driver.takeAndFail("e");

    long moved = queue.retryJobs(JobState.FAILED, 2, NOW);

    assertEquals(3, moved);
    assertEquals(List.of("3", "2", "1"), probe.list(queue.keys().waitList()));
    assertEquals(2, queue.getJobCount(JobState.FAILED));
    assertFalse(probe.hash(queue.keys().job("1")).containsKey("failedReason"));
    assertFalse(probe.hash(queue.keys().job("1")).containsKey("finishedOn"));
    assertEquals(Map.of("event", "waiting", "jobId", "3", "prev", "failed"), lastEvent());

    assertEquals(2, queue.retryJobs(JobState.FAILED, 1000, NOW + 1000));
    assertFalse(probe.exists(queue.keys().failed()));
  }

  @Test
  void retryJobsOfCompletedJobsClearsTheReturnValue() {
    queue.add("c", null);
    String id = driver.takeAndComplete("42");

    assertEquals(1, queue.retryJobs(JobState.COMPLETED, 10, NOW));

    assertFalse(probe.hash(queue.keys().job(id)).containsKey("returnvalue"));
    assertEquals(List.of(id), probe.list(queue.keys().waitList()));
  }

  @Test
  void retryJobsValidatesBeforeWriting() {
    queue.add("f", null);
    driver.takeAndFail("x");

    IllegalArgumentException state =
        assertThrows(IllegalArgumentException.class, () -> queue.retryJobs(JobState.DELAYED, 10, NOW));
    IllegalArgumentException count =
        assertThrows(IllegalArgumentException.class, () -> queue.retryJobs(JobState.FAILED, 0, NOW));
    IllegalArgumentException timestamp =
        assertThrows(IllegalArgumentException.class, () -> queue.retryJobs(JobState.FAILED, 1, -5));
    assertThrows(IllegalArgumentException.class, () -> queue.retryJobs(null, 1, NOW));
    assertThrows(IllegalArgumentException.class, () -> queue.promoteJobs(-1));

    assertTrue(state.getMessage().contains("state"), state.getMessage());
    assertTrue(count.getMessage().contains("count") && count.getMessage().contains("0"), count.getMessage());
    assertTrue(timestamp.getMessage().contains("timestamp"), timestamp.getMessage());
    assertEquals(1, queue.getJobCount(JobState.FAILED));
  }
}
