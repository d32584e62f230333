package dev.corral.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A processor that adds children to its own job and waits for them (JobContext.moveToWaitingChildren +
 * WaitingChildrenException), as BullMQ's step-job pattern; and what happens when it forgets the exception.
 */
class WaitingChildrenWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final BrokerClient client = RedisTestSupport.sharedClient();

  private static JobState awaitFinal(Queue queue, String id) {
    return Await.finished(queue, id, WAIT);
  }

  @Test
  void aParentRunsAgainWithItsChildrenValuesOnceTheyAreDone() {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("steps"));
    AtomicInteger parentRuns = new AtomicInteger();
    Worker<Object> worker = Worker.create(client, queue.name(), ctx -> {
      Job job = ctx.job();
      if (job.name().startsWith("part")) {
        return job.data().get("n").asInt() * 10;
      }
      if (parentRuns.incrementAndGet() == 1) {
        for (int n = 1; n <= 3; n++) {
          queue.add("part-" + n, Map.of("n", n), JobOptions.builder().parent(new JobParent(queue.keys(), job.id()))
              .build());
        }
        if (ctx.moveToWaitingChildren()) {
          throw new WaitingChildrenException();
        }
      }
      return ctx.childrenValues().values().stream().mapToInt(v -> v.asInt()).sum();
    }, WorkerOptions.builder().build()); // one slot: the children run only once the parent waits for them
    try {
      String parent = queue.add("sum", Map.of());
      assertEquals(JobState.COMPLETED, awaitFinal(queue, parent));
      Job done = queue.getJob(parent).orElseThrow();
      assertEquals("60", done.raw().get("returnvalue"));
      assertEquals(2, parentRuns.get());
      assertEquals(1, done.attemptsMade(), "waiting for children is not an attempt");
      assertEquals(2, done.attemptsStarted());
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void aProcessorThatMovesItsJobButReturnsHasItsOutcomeDroppedAndReported() {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("steps"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger parentRuns = new AtomicInteger();
    Worker<Object> worker = Worker.create(client, queue.name(), ctx -> {
      if (ctx.job().name().equals("child")) {
        return "c";
      }
      if (parentRuns.incrementAndGet() == 1) {
        queue.add("child", Map.of(), JobOptions.builder().parent(new JobParent(queue.keys(), ctx.job().id())).build());
        ctx.moveToWaitingChildren(); // and no WaitingChildrenException
        return "too early";
      }
      return "second";
    }, WorkerOptions.builder().autorun(false).build());
    worker.addListener(new WorkerListener() {
      @Override
      public void error(Throwable error) {
        errors.add(error);
      }
    });
    worker.start();
    try {
      String parent = queue.add("parent", Map.of());
      assertEquals(JobState.COMPLETED, awaitFinal(queue, parent));
      assertEquals("\"second\"", queue.getJob(parent).orElseThrow().raw().get("returnvalue"));
      assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains("should then throw WaitingChildrenException")),
          errors.toString());
    } finally {
      worker.close(Duration.ofSeconds(5));
    }
  }
}
