package dev.corral.sdk.pool;

import static dev.corral.sdk.pool.PoolTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.RegistrySettings;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.StuckReason;
import dev.corral.broker.workers.StuckSummary;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A {@link Worker} with a {@link PoolProcessor}, against Redis: what the pool's outcomes store on the job. */
class PoolWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;
  private final PoolTestSupport support = new PoolTestSupport();
  private Queue queue;
  private Worker<JsonNode> worker;

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("pool"));
  }

  @AfterEach
  void closeWorker() {
    if (worker != null) {
      worker.close(Duration.ofSeconds(5));
    }
    support.closeAll();
  }

  private PoolProcessor start(ProcessPoolOptions.Builder options) {
    PoolProcessor pool = support.pool(options);
    worker = Worker.create(client, queue.name(), pool, WorkerOptions.builder().concurrency(pool.maxProcesses()).build());
    return pool;
  }

  private Job awaitFinal(String id) {
    Await.until(WAIT, () -> {
      JobState s = queue.getState(id);
      return s == JobState.COMPLETED || s == JobState.FAILED ? s : null;
    }, "job " + id + " to finish");
    return queue.getJob(id).orElseThrow();
  }

  @Test
  void aJobCompletesWithTheChildsProgressLogsAndResult() {
    start(node());
    String id = queue.add("resize", Map.of("progress", List.of(40), "logs", List.of("resizing"), "value", 7));

    Job job = awaitFinal(id);
    assertEquals(JobState.COMPLETED, queue.getState(id));
    assertEquals(7, job.returnValue().get("value").asInt());
    assertEquals(queue.name(), job.returnValue().get("queue").asText());
    assertEquals(40, job.progress().asInt());
    assertEquals(List.of("resizing"), probe.list(queue.keys().logs(id)));
  }

  @Test
  void aCrashFailsTheAttemptAndTheRetryRunsInAReplacementProcess() {
    PoolProcessor pool = start(node().minProcesses(1).maxProcesses(1));
    long first = PoolTestSupport.awaitProcess(pool, ProcessState.IDLE, "the minimum process").pid();
    String id = queue.add("flaky", Map.of("crash", 7, "crashWhenAttemptsMade", 0),
        JobOptions.builder().attempts(2).build());

    Job job = awaitFinal(id);
    assertEquals(JobState.COMPLETED, queue.getState(id));
    assertEquals(2, job.attemptsMade());
    assertEquals("pool process pid " + first + " exited with code 7 while running job " + id, job.failedReason());
    assertTrue(job.returnValue().get("pid").asLong() != first, "the retry ran in the replacement");
  }

  @Test
  void aTimedOutJobFailsWithTheTimeoutAsItsReason() {
    start(node().maxProcesses(1).jobTimeout(Duration.ofMillis(300)));
    String id = queue.add("slow", Map.of("sleepMs", 30_000));

    Job job = awaitFinal(id);
    assertEquals(JobState.FAILED, queue.getState(id));
    assertTrue(job.failedReason().startsWith("job " + id + " timed out after 300 ms (jobTimeout); pool process pid "),
        job.failedReason());
    // the worker registers under the queue's prefix by default, so the timeout is in its stuck history
    StuckHistory stuck = new StuckHistory(client, new WorkerRegistry(client, "bull", RegistrySettings.defaults()));
    StuckSummary summary = Await.until(WAIT, () -> stuck.forJobName(queue.name(), "slow", 1).orElse(null),
        "the timeout in the stuck history");
    assertEquals(1, summary.count());
    assertEquals(Map.of(StuckReason.TIMEOUT, 1L), summary.reasons());
  }

  @Test
  void anUnrecoverableChildErrorSkipsTheRetries() {
    start(node().maxProcesses(1));
    String id = queue.add("bad", Map.of("error", "no such account", "unrecoverable", true),
        JobOptions.builder().attempts(3).build());

    Job job = awaitFinal(id);
    assertEquals(JobState.FAILED, queue.getState(id));
    assertEquals(1, job.attemptsMade());
    assertEquals("no such account", job.failedReason());
  }

  @Test
  void manyJobsShareAtMostMaxProcesses() {
    PoolProcessor pool = start(node().maxProcesses(3));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(queue.add("n", Map.of("sleepMs", 50, "value", i)));
    }
    Set<Long> pids = new HashSet<>();
    for (String id : ids) {
      Job job = awaitFinal(id);
      assertEquals(JobState.COMPLETED, queue.getState(id), job.failedReason());
      pids.add(job.returnValue().get("pid").asLong());
    }
    assertTrue(pids.size() <= 3, pids.toString());
    assertTrue(pool.processes().size() <= 3);
  }
}
