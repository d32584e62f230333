package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Job schedulers on their own (the interop ITs compare them with bullmq): validation writes nothing, the
 * iterations a worker's fetch adds ({@link JobSchedulers#scheduleNextIteration}) with the clock moved by hand,
 * limits and end dates, a scheduler's current iteration protected from removal, collisions.
 */
class JobSchedulersIT {

  private static final long NOW = 1_795_314_988_360L;
  private static final MutableClock CLOCK = new MutableClock(NOW);
  private static BrokerClient client;
  private static RedisProbe probe;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(CLOCK);
    probe = new RedisProbe(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static Queue queue(String hint) {
    CLOCK.set(NOW);
    return client.queue(RedisTestSupport.uniqueQueueName(hint));
  }

  @Test
  void invalidInputIsRejectedAndNothingIsWritten() {
    Queue q = queue("invalid");
    JobSchedulers s = q.schedulers();
    assertThrows(IllegalArgumentException.class, () -> RepeatOptions.every(0).build());
    assertThrows(IllegalArgumentException.class, () -> new RepeatOptions(1000L, "* * * * *", null, null, null,
        null, 0, false));
    IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
        () -> new RepeatOptions(null, null, null, null, null, null, 0, false));
    assertTrue(neither.getMessage().startsWith("Either .pattern or .every"), neither.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> RepeatOptions.pattern("* * * * *").immediately(true).startDate(NOW).build());
    assertTrue(both.getMessage().contains(".immediately and .startDate"), both.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RepeatOptions.every(1000).limit(0).build());
    assertThrows(IllegalArgumentException.class, () -> RepeatOptions.every(1000).offset(-1).build());
    IllegalArgumentException tz = assertThrows(IllegalArgumentException.class,
        () -> RepeatOptions.pattern("* * * * *").tz("Mars/Olympus").build());
    assertTrue(tz.getMessage().contains("Mars/Olympus"), tz.getMessage());
    IllegalArgumentException cron = assertThrows(IllegalArgumentException.class,
        () -> RepeatOptions.pattern("61 * * * *").build());
    assertTrue(cron.getMessage().contains("repeat.pattern '61 * * * *'"), cron.getMessage());
    IllegalArgumentException end = assertThrows(IllegalArgumentException.class,
        () -> s.upsertJobScheduler("x", RepeatOptions.every(1000).endDate(NOW - 1).build(), null));
    assertTrue(end.getMessage().startsWith("End date must be greater than current timestamp"), end.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.upsertJobScheduler("", RepeatOptions.every(1).build(),
        null));
    assertThrows(IllegalArgumentException.class, () -> new JobSchedulerTemplate("n", null,
        JobOptions.builder().jobId("custom").build()));
    assertThrows(IllegalArgumentException.class, () -> new JobSchedulerTemplate("n", null,
        JobOptions.builder().delay(5).build()));
    assertThrows(IllegalArgumentException.class, () -> s.upsertJobScheduler("x", RepeatOptions.every(1000).build(),
        new JobSchedulerTemplate("n", new SelfReference(), null)));
    assertEquals(0, s.getJobSchedulersCount());
    assertFalse(probe.exists(q.keys().key("repeat:x")));
    assertFalse(probe.exists(q.keys().events()));
  }

  @Test
  void everyIterationsFollowEachOtherUntilTheLimit() {
    Queue q = queue("every-limit");
    JobSchedulers s = q.schedulers();
    JobSchedulers.Iteration first = s.upsertJobScheduler("t", RepeatOptions.every(1000).limit(3).build(),
        new JobSchedulerTemplate("tick", Map.of("k", 1), JobOptions.builder().attempts(2).build())).orElseThrow();
    assertEquals(new JobSchedulers.Iteration("repeat:t:" + NOW, 0), first);
    Job one = q.getJob(first.jobId()).orElseThrow();
    assertEquals("t", one.raw().get("rjk"));
    assertEquals(1, one.opts().path("repeat").path("count").asInt());
    assertEquals(2, one.opts().path("attempts").asInt());

    CLOCK.set(NOW + 10);
    Optional<String> second = s.scheduleNextIteration(one);
    assertEquals(Optional.of("repeat:t:" + (NOW + 1000)), second);
    Job two = q.getJob(second.get()).orElseThrow();
    assertEquals(2, two.opts().path("repeat").path("count").asInt());
    assertEquals(990, two.delay());
    assertEquals(JobState.DELAYED, q.getState(two.id()));
    assertEquals(Optional.empty(), s.scheduleNextIteration(one), "the producer is no longer the current one");

    CLOCK.set(NOW + 3500); // late: the next slot after now, keeping the offset
    Optional<String> third = s.scheduleNextIteration(two);
    assertEquals(Optional.of("repeat:t:" + (NOW + 4000)), third);
    assertEquals(Optional.empty(), s.scheduleNextIteration(q.getJob(third.get()).orElseThrow()), "limit 3");
    JobScheduler stored = s.getJobScheduler("t").orElseThrow();
    assertEquals(3L, stored.iterationCount());
    assertEquals(NOW + 4000, stored.next());
    assertEquals(360L, stored.offset());
    assertEquals(List.of(stored), s.getJobSchedulers(0, -1, false));
  }

  @Test
  void aPatternSchedulerAndItsEndDate() {
    Queue q = queue("pattern");
    JobSchedulers s = q.schedulers();
    long end = NOW + 8_000;
    JobSchedulers.Iteration first = s.upsertJobScheduler("p",
        RepeatOptions.pattern("*/5 * * * * *").tz("Europe/Berlin").endDate(end).build(), null).orElseThrow();
    assertEquals("repeat:p:1795314990000", first.jobId());
    assertEquals(1640, first.delay());
    Job one = q.getJob(first.jobId()).orElseThrow();
    assertEquals(1795314990000L, one.opts().path("prevMillis").asLong());
    CLOCK.set(1795314990003L);
    assertEquals(Optional.of("repeat:p:1795314995000"), s.scheduleNextIteration(one));
    CLOCK.set(1795314995001L);
    Job two = q.getJob("repeat:p:1795314995000").orElseThrow();
    assertEquals(Optional.empty(), s.scheduleNextIteration(two), "the next time (…5000 + 5 s) is after endDate");
    CLOCK.set(NOW);
    assertEquals(Optional.empty(), s.upsertJobScheduler("late",
        RepeatOptions.pattern("0 0 1 1 *").endDate(NOW + 1000).build(), null), "no time before endDate");
    assertFalse(s.getJobScheduler("late").isPresent());
  }

  @Test
  void theCurrentIterationCannotBeRemovedButTheSchedulerCan() {
    Queue q = queue("remove");
    JobSchedulers s = q.schedulers();
    String id = s.upsertJobScheduler("r", RepeatOptions.every(1000).startDate(NOW + 5000).build(), null)
        .orElseThrow().jobId();
    BrokerException e = assertThrows(BrokerException.class, () -> q.remove(id, false));
    assertEquals(ScriptError.JOB_BELONGS_TO_JOB_SCHEDULER, e.error());
    assertTrue(s.removeJobScheduler("r"));
    assertFalse(s.removeJobScheduler("r"));
    assertFalse(probe.exists(q.keys().job(id)));
    assertEquals(0, s.getJobSchedulersCount());
    assertEquals("removed", last(q));
  }

  @Test
  void aTakenIterationIdIsAPatternCollisionOrTheNextFreeEverySlot() {
    Queue q = queue("collision");
    JobSchedulers s = q.schedulers();
    long nextHour = 1795316400000L;
    q.add("other", Map.of(), JobOptions.builder().jobId("repeat:c:" + nextHour).build());
    BrokerException e = assertThrows(BrokerException.class,
        () -> s.upsertJobScheduler("c", RepeatOptions.pattern("0 0 * * * *").tz("UTC").build(), null));
    assertEquals(ScriptError.SCHEDULER_JOB_ID_COLLISION, e.error());
    assertTrue(e.getMessage().startsWith("Cannot create job scheduler iteration - job ID already exists"));
    assertFalse(s.getJobScheduler("c").isPresent(), "nothing written");
    q.add("other", Map.of(), JobOptions.builder().jobId("repeat:e:" + NOW).build());
    assertEquals("repeat:e:" + (NOW + 500), s.upsertJobScheduler("e", RepeatOptions.every(500).build(), null)
        .orElseThrow().jobId());
  }

  /** Data Jackson cannot serialise (a cycle). */
  public static final class SelfReference {
    public SelfReference getSelf() {
      return this;
    }
  }

  private static String last(Queue q) {
    List<String> names = probe.eventNames(q.keys().events());
    return names.get(names.size() - 1);
  }
}
