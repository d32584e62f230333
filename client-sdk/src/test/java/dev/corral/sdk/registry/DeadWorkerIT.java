package dev.corral.sdk.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.Liveness;
import dev.corral.broker.workers.StuckReason;
import dev.corral.broker.workers.StuckSummary;
import dev.corral.broker.workers.WorkerStatus;
import dev.corral.sdk.Worker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A worker in a child JVM is killed with SIGKILL: the registry sees it unhealthy, then dead; its job is recovered. */
class DeadWorkerIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();

  @Test
  void aWorkerKilledWithSigkillIsSeenUnhealthyThenDeadAndItsJobIsRecovered() throws Exception {
    RegistryFixture fx = new RegistryFixture(client);
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("kill"), QueueOptions.defaults().withPrefix(fx.prefix));
    String jobId = queue.add("crunch", Map.of());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        RegistryChildWorker.class.getName(), RedisTestSupport.redisUrl(), fx.prefix, queue.name(), "child-1")
        .redirectErrorStream(true).start();
    Worker<String> rescuer = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      Thread.ofVirtual().start(() -> out.lines().forEach(lines::add));
      Await.until(Duration.ofSeconds(30), () -> fx.registry.get("child-1").map(WorkerStatus::heartbeat)
          .filter(h -> h != null && h.jobs().size() == 1).isPresent());
      assertEquals(JobState.ACTIVE, queue.getState(jobId));
      long interval = fx.registry.get("child-1").orElseThrow().registration().heartbeatIntervalMs();

      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      long killedAt = System.currentTimeMillis();
      assertEquals(137, child.exitValue(), "killed by signal 9; output: " + lines);

      // unhealthy within 2 heartbeat intervals of its last heartbeat (at most 2 intervals + a little after the kill)
      Await.until(Duration.ofSeconds(10), () -> fx.registry.get("child-1").map(WorkerStatus::liveness)
          .filter(l -> l == Liveness.UNHEALTHY).isPresent());
      long unhealthyAfter = System.currentTimeMillis() - killedAt;
      assertTrue(unhealthyAfter <= 2 * interval + 300, "unhealthy after " + unhealthyAfter + " ms");

      // a live worker on the queue: its heartbeat loop sweeps the dead one, its stalled check recovers the job
      rescuer = Worker.create(client, queue.name(), ctx -> "rescued", fx.options("rescuer")
          .stalledInterval(Duration.ofSeconds(1)).build());
      Await.until(Duration.ofSeconds(10), () -> fx.registry.get("child-1").isEmpty());
      long goneAfter = System.currentTimeMillis() - killedAt;
      assertTrue(goneAfter <= 4 * interval + 1000, "swept after " + goneAfter + " ms (dead after 4 missed)");
      Await.until(Duration.ofSeconds(15), () -> queue.getState(jobId) == JobState.COMPLETED);

      StuckSummary s = Await.until(Duration.ofSeconds(5), () -> fx.stuck.forJobName(queue.name(), "crunch", 1)
          .filter(x -> x.count() == 2).orElse(null), "dead-worker and stalled events");
      assertEquals(Map.of(StuckReason.DEAD_WORKER, 1L, StuckReason.STALLED, 1L), s.reasons());
      assertTrue(fx.stuck.recent(1, 10).stream().allMatch(e -> "child-1".equals(e.workerId())),
          "both events name the killed worker: " + fx.stuck.recent(1, 10));
      System.out.printf("SIGKILL: unhealthy after %d ms, swept after %d ms (interval %d ms)%n", unhealthyAfter,
          goneAfter, interval);
    } finally {
      child.destroyForcibly();
      if (rescuer != null) {
        rescuer.close(Duration.ofSeconds(5));
      }
    }
  }
}
