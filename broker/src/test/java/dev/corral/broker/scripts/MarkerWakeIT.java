package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BlockingConnection;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.FetchedReply;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MarkerConnection#wake()} ends a block waiting in Redis (the fetch queued behind it runs), and a wake that
 * finds no call in progress makes the next call return without sending anything, so a worker that stops taking
 * jobs and then wakes its connection takes no job added afterwards.
 */
class MarkerWakeIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();

  private static FetchRequest request() {
    return new FetchRequest("tok", 30_000, 0, 0, "");
  }

  @Test
  void aWakeBeforeTheCallMakesTheNextCallTakeNothingAndTheOneAfterFetchesAgain() {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("wake"));
    JobLifecycle lifecycle = new JobLifecycle(client, queue.keys());
    try (BlockingConnection blocking = client.openBlockingConnection("wake-test")) {
      MarkerConnection marker = blocking.marker();
      assertNotNull(marker, "the test Redis is a single plain-TCP server");
      blocking.wake(); // no call in progress: the next one is cut short
      String id = queue.add("late", Map.of());

      FetchedReply cut = lifecycle.fetchAfterMarker(marker, 5_000, request());
      assertTrue(cut.cutShort());
      assertFalse(cut.hasJob());
      assertEquals(JobState.WAITING, queue.getState(id), "the job added after the wake stays in wait");

      FetchedReply next = lifecycle.fetchAfterMarker(marker, 5_000, request());
      assertFalse(next.cutShort(), "a wake is obeyed once");
      assertTrue(next.hasJob());
      assertEquals(id, next.decode().job().id());
      assertEquals(JobState.ACTIVE, queue.getState(id));
    }
  }

  @Test
  void aWakeEndsABlockWaitingInRedisAndTheFetchBehindItRuns() throws Exception {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("wake"));
    JobLifecycle lifecycle = new JobLifecycle(client, queue.keys());
    try (BlockingConnection blocking = client.openBlockingConnection("wake-test")) {
      MarkerConnection marker = blocking.marker();
      long t0 = System.nanoTime();
      CompletableFuture<FetchedReply> call =
          CompletableFuture.supplyAsync(() -> lifecycle.fetchAfterMarker(marker, 10_000, request()));
      Thread.sleep(200); // the block is in Redis (wake would also wait for it)
      blocking.wake();
      FetchedReply reply = call.get(5, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      assertFalse(reply.cutShort(), "the call had blocked: it ran, found nothing");
      assertFalse(reply.hasJob());
      assertTrue(tookMs < 5_000, "woken, not timed out (" + tookMs + " ms of a 10 s block)");

      String id = queue.add("after", Map.of());
      FetchedReply next = lifecycle.fetchAfterMarker(marker, 5_000, request());
      assertFalse(next.cutShort(), "the wake was used up by the block it ended");
      assertEquals(id, next.decode().job().id());
    }
  }
}
