package dev.corral.sdk.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobSchedulerTemplate;
import dev.corral.broker.JobState;
import dev.corral.broker.RepeatOptions;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.NodeBullmq;
import dev.corral.broker.testing.NodeProcess;
import dev.corral.broker.testing.QueueSnapshot;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerListener;
import dev.corral.sdk.WorkerOptions;
import dev.corral.sdk.internal.JobRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RMap;
import org.redisson.client.codec.StringCodec;

/**
 * Job schedulers continue across libraries: a schedule upserted by bullmq 6.7.0 is continued by a Corral
 * worker and one upserted by Corral by a bullmq worker, and a bullmq worker and a Corral worker continuing the
 * same schedule (two queues, same upsert, both workers running at once) leave equal state: the same
 * iterations ({@code repeat:<id>:<millis>}), opts ({@code repeat.count}, {@code prevMillis}, ...),
 * {@code ic}, {@code repeat} score and events.
 *
 * <p>On top of {@link WorkerStateInteropIT#normalise}, an iteration's {@code opts.timestamp} and
 * {@code opts.delay} (the ms at which the previous iteration was fetched, and the rest of the wait) are
 * ignored. The schedules start at a common future {@code startDate}, so the due times do not depend on when
 * each queue was set up.
 */
class SchedulerWorkerInteropIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static NodeBullmq node;

  @BeforeAll
  static void connect() {
    node = NodeBullmq.get();
  }

  /** A start a few seconds ahead, on a whole second. */
  private static long start() {
    return (client.clock().millis() / 1000 + 4) * 1000;
  }

  /**
   * Upserts with {@code upsert} on two fresh queues, then processes {@code iterations} iterations with a bullmq
   * worker on the first and a Corral worker on the second at the same time, and compares.
   */
  private void assertSameContinuation(String hint, long start, Consumer<String> upsert, int iterations)
      throws InterruptedException {
    String nodeQueue = RedisTestSupport.uniqueQueueName(hint + "-node");
    String javaQueue = RedisTestSupport.uniqueQueueName(hint + "-java");
    upsert.accept(nodeQueue);
    upsert.accept(javaQueue);
    List<String> nodeOrder;
    List<String> javaOrder;
    try (NodeProcess worker = node.work(nodeQueue, Map.of("name", "sched-w", "count", iterations))) {
      // a Corral worker blocks on the marker in whole seconds, so it may take a job due a few seconds ahead up
      // to a second late; started within the last second it sleeps to the due time instead (bullmq blocks
      // with fractional timeouts): both then take the first iteration on time and continue from the same slot
      Thread.sleep(Math.max(0, start - 700 - client.clock().millis()));
      JavaWork java = new JavaWork(client, javaQueue, null, iterations, "sched-w");
      javaOrder = java.awaitDone(WAIT);
      assertEquals(List.of(), java.errors(), hint + ": Corral worker errors");
      worker.awaitType("done", WAIT);
      nodeOrder = worker.lines().stream().filter(l -> "started".equals(l.path("type").asText()))
          .map(l -> l.get("id").asText()).toList();
    }
    assertEquals(nodeOrder, javaOrder, hint + ": the same iterations ran");
    assertEquals(iterations, javaOrder.size());
    ObjectNode expected = normalise(QueueSnapshot.of(client, QueueKeys.of(nodeQueue)));
    ObjectNode actual = normalise(QueueSnapshot.of(client, QueueKeys.of(javaQueue)));
    assertEquals(QueueSnapshot.canonical(expected), QueueSnapshot.canonical(actual),
        hint + ": stored state (bullmq worker first, Corral worker second)");
    assertEquals(node.run("getJobSchedulers", nodeQueue).get("schedulers"),
        node.run("getJobSchedulers", javaQueue).get("schedulers"), hint + ": bullmq reads the same schedulers");
  }

  private static ObjectNode normalise(ObjectNode snapshot) {
    WorkerStateInteropIT.normalise(snapshot);
    snapshot.properties().forEach(e -> {
      if (e.getValue() instanceof ObjectNode job && job.has("rjk") && job.get("opts") instanceof ObjectNode opts) {
        opts.put("timestamp", "<t>");
        opts.put("delay", "<d>");
      }
    });
    return snapshot;
  }

  private static void nodeUpsert(String queue, String id, String repeatJson, String templateJson) {
    node.runSteps(queue, InteropSteps.parse("[{\"op\":\"upsertJobScheduler\",\"id\":\"" + id + "\",\"repeat\":"
        + repeatJson + ",\"template\":" + templateJson + "}]"));
  }

  @Test
  void anEveryScheduleUpsertedByBullmqIsContinuedByACorralWorker() throws InterruptedException {
    long start = start();
    assertSameContinuation("every-node", start, q -> nodeUpsert(q, "tick",
        "{\"every\":1000,\"limit\":3,\"startDate\":" + start + "}",
        "{\"name\":\"tock\",\"data\":{\"n\":1},\"opts\":{\"attempts\":2,\"removeOnComplete\":5}}"), 3);
  }

  @Test
  void anEveryScheduleUpsertedByCorralIsContinuedByABullmqWorker() throws InterruptedException {
    long start = start();
    assertSameContinuation("every-java", start, q -> client.queue(q).schedulers().upsertJobScheduler("tick",
        RepeatOptions.every(700).limit(3).startDate(start).offset(0).build(),
        new JobSchedulerTemplate("tock", Map.of("n", 2), null)), 3);
  }

  @Test
  void aPatternScheduleInATimeZoneIsContinuedTheSameWay() throws InterruptedException {
    long start = start();
    assertSameContinuation("pattern", start, q -> nodeUpsert(q, "cron",
        "{\"pattern\":\"* * * * * *\",\"tz\":\"Europe/Berlin\",\"limit\":3,\"startDate\":" + start + "}",
        "{\"data\":{\"p\":true}}"), 3);
  }

  @Test
  void aCorralWorkerStopsAtTheLimitAndReportsNoError() {
    String queue = RedisTestSupport.uniqueQueueName("limit");
    long start = start() - 3000;
    client.queue(queue).schedulers().upsertJobScheduler("l", RepeatOptions.every(300).limit(2).startDate(start)
        .build(), null);
    JavaWork java = new JavaWork(client, queue, null, 2, "sched-w");
    List<String> order = java.awaitDone(WAIT);
    assertEquals(2, order.size());
    assertEquals(List.of(), java.errors());
    JsonNode scheduler = node.run("getJobScheduler", queue, "l").get("scheduler");
    assertEquals(2, scheduler.get("iterationCount").asInt(), scheduler.toString());
    assertTrue(order.get(0).startsWith("repeat:l:"), order.toString());
    assertEquals(0, client.queue(queue).getJobCounts().values().stream().mapToLong(Long::longValue).sum()
        - client.queue(queue).getJobCount(dev.corral.broker.JobState.COMPLETED), "only completed jobs are left");
    assertTrue(Json.MAPPER.valueToTree(order).size() == 2);
  }

  @Test
  void anIterationWhoseNextOneCannotBeScheduledIsNotProcessedAndGoesRoundThroughTheStalledCheck()
      throws Exception {
    // bullmq's worker reports the scheduling failure and leaves the job active without running it: its lock runs
    // out, the stalled check moves it back to wait (a scheduler's iteration is never failed for stalling, past
    // maxStalledCount too), the next fetch fails the same way, and so on. The iteration's opts are broken after
    // the upsert (both every and pattern)
    long start = start();
    String nodeQueue = RedisTestSupport.uniqueQueueName("sched-fail-node");
    String javaQueue = RedisTestSupport.uniqueQueueName("sched-fail-java");
    String iteration = null;
    for (String q : List.of(nodeQueue, javaQueue)) {
      iteration = client.queue(q).schedulers().upsertJobScheduler("s", RepeatOptions.every(1000).startDate(start)
          .build(), null).orElseThrow().jobId();
      RMap<String, String> hash = client.redisson().getMap(QueueKeys.of(q).job(iteration), StringCodec.INSTANCE);
      ObjectNode opts = (ObjectNode) Json.parseLenient(hash.get("opts"));
      ((ObjectNode) opts.get("repeat")).put("pattern", "* * * * * *");
      hash.put("opts", opts.toString());
    }
    String id = iteration;
    Map<String, Object> workerOptions = Map.of("name", "sched-w", "lockDuration", 1000, "stalledInterval", 300,
        "maxStalledCount", 1, "timeoutMs", 30_000);
    AtomicInteger processed = new AtomicInteger();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (NodeProcess nodeWorker = node.work(nodeQueue, workerOptions)) {
      Worker<Object> worker = Worker.create(client, javaQueue, ctx -> processed.incrementAndGet(),
          WorkerOptions.builder().name("sched-w").lockDuration(Duration.ofSeconds(1))
              .stalledInterval(Duration.ofMillis(300)).maxStalledCount(1).build());
      worker.addListener(new WorkerListener() {
        @Override
        public void error(Throwable error) {
          errors.add(error);
        }
      });
      try {
        for (String q : List.of(nodeQueue, javaQueue)) {
          Await.until(WAIT, () -> stalledCount(q, id) >= 2 ? Boolean.TRUE : null, q + ": stalled twice");
        }
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
      assertEquals(List.of(), nodeWorker.lines().stream().filter(l -> "started".equals(l.path("type").asText()))
          .toList(), "bullmq did not run the iteration");
    }
    assertEquals(0, processed.get(), "Corral did not run the iteration");
    assertTrue(errors.stream().anyMatch(e -> e.getMessage().startsWith(JobRunner.SCHEDULING_FAILED)
        && e.getMessage().contains("Both .pattern and .every")), errors.toString());
    for (String q : List.of(nodeQueue, javaQueue)) {
      ObjectNode snapshot = QueueSnapshot.of(client, QueueKeys.of(q));
      JsonNode job = snapshot.get(id);
      assertTrue(job != null && !job.has("defa") && !job.has("finishedOn"), q + ": not failed " + job);
      assertEquals(List.of("added", "delayed", "waiting", "active", "waiting", "stalled", "active", "waiting",
          "stalled"), new RedisProbe(client).eventNames(QueueKeys.of(q).events()).subList(0, 9), q + ": events");
      assertEquals(1, snapshot.get("repeat:s").get("ic").asInt(), q + ": no iteration was added");
    }
  }

  private static long stalledCount(String queue, String jobId) {
    String stc = new RedisProbe(client).hash(QueueKeys.of(queue).job(jobId)).get("stc");
    return stc == null ? 0 : Long.parseLong(stc);
  }
}
