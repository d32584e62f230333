package dev.corral.sdk.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.LocalCluster;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java worker on a real three-master Redis Cluster, for a queue under a hash-tagged prefix whose slot is on a
 * node other than the first listed one: jobs added before and while it runs are all processed (its blocking
 * marker wait goes to the slot's master; its scripts are routed by key).
 */
class WorkerClusterIT {

  @Test
  void aWorkerProcessesJobsOfAQueueOnAnotherNode(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir);
        BrokerClient client = BrokerClient.connect(RedisSettings.parse(cluster.url()), Clock.systemUTC())) {
      String prefix = null;
      for (int i = 0; prefix == null; i++) {
        String candidate = "{corral" + i + "}";
        if (client.redisson().getKeys().getSlot(candidate + ":jobs:wait") > LocalCluster.firstNodeLastSlot()) {
          prefix = candidate;
        }
      }
      Queue queue = client.queue("jobs", QueueOptions.defaults().withPrefix(prefix));
      for (int i = 0; i < 10; i++) {
        queue.add("before", Map.of("i", i));
      }
      Worker<String> worker = Worker.create(client, "jobs", ctx -> "done " + ctx.job().id(),
          WorkerOptions.builder().prefix(prefix).concurrency(4).build());
      try {
        Await.until(Duration.ofSeconds(30), () -> queue.getJobCount(JobState.COMPLETED) == 10);
        Thread.sleep(1500); // the worker is now idle, blocked on the marker of the slot's master
        for (int i = 0; i < 10; i++) {
          queue.add("while-idle", Map.of("i", i));
        }
        Await.until(Duration.ofSeconds(30), () -> queue.getJobCount(JobState.COMPLETED) == 20);
        assertEquals(0L, queue.getJobCount(JobState.WAITING));
        assertEquals(0L, queue.getJobCount(JobState.FAILED));
      } finally {
        worker.close(Duration.ofSeconds(5));
      }
    }
  }
}
