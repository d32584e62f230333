package dev.corral.api.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.Dag;
import dev.corral.broker.dag.DagCoordinatorOptions;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.NodeState;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** The leader's maintenance does its duties while elected and none once revoked. */
class MaintenanceIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();

  private static String stalledJob(String queue) {
    String id = client.queue(queue).add("j", Map.of());
    String p = "bull:" + queue + ":";
    client.redisson().getList(p + "wait", StringCodec.INSTANCE).remove(id);
    client.redisson().getList(p + "active", StringCodec.INSTANCE).add(id);
    client.redisson().getSet(p + "stalled", StringCodec.INSTANCE).add(id);
    return id;
  }

  private static boolean waiting(String queue, String id) {
    return client.redisson().getList("bull:" + queue + ":wait", StringCodec.INSTANCE).contains(id);
  }

  @Test
  void whileElectedItRecoversStalledJobsSweepsDeadWorkersAndFinishesDagNodesAndStopsWhenRevoked()
      throws Exception {
    String queue = RedisTestSupport.uniqueQueueName("maint");
    String later = RedisTestSupport.uniqueQueueName("maint-later");
    WorkerRegistry registry = new WorkerRegistry(client, "bull");
    AtomicBoolean leads = new AtomicBoolean(true);
    Maintenance maintenance = new Maintenance(client, new Recovery(client, "bull", registry, "test"), leads::get,
        DagCoordinatorOptions.defaults(), Duration.ofMillis(100), Duration.ofMillis(200));
    try {
      String stalled = stalledJob(queue);
      String worker = "maint-" + UUID.randomUUID().toString().substring(0, 8);
      registry.register(new WorkerRegistration(worker, "h", 1, System.currentTimeMillis(), "v", List.of(queue),
          List.of(), Map.of(), 1, 0, 0, Map.of(), 100, 3));
      DagExecutions dags = DagExecutions.create(client);
      String exec = dags.submit(Dag.builder("maint-wf").node("a").queue(queue).node("b").queue(queue)
          .dependsOn("a").build());
      String nodeJob = dags.get(exec).orElseThrow().node("a").jobId();
      String p = "bull:" + queue + ":";
      client.redisson().getList(p + "wait", StringCodec.INSTANCE).remove(nodeJob); // finished by a Node worker
      client.redisson().getScoredSortedSet(p + "completed", StringCodec.INSTANCE)
          .add(System.currentTimeMillis(), nodeJob);
      Thread.sleep(400); // the worker is dead by now

      maintenance.elected();
      assertTrue(maintenance.isRunning());
      Await.until(Duration.ofSeconds(10), () -> waiting(queue, stalled));
      Await.until(Duration.ofSeconds(10), () -> registry.get(worker).isEmpty());
      Await.until(Duration.ofSeconds(10), () -> dags.get(exec).orElseThrow().node("a").state()
          == NodeState.COMPLETED);
      Await.until(Duration.ofSeconds(5), () -> maintenance.stalledRecovered() >= 1); // counted after the call
      Await.until(Duration.ofSeconds(5), () -> maintenance.workersSwept() >= 1);

      leads.set(false); // lost between two steps: nothing more is done even before revoked
      String notRecovered = stalledJob(later);
      Thread.sleep(500);
      assertFalse(waiting(later, notRecovered), "a non-leader does no stalled checks");
      maintenance.revoked("test");
      assertFalse(maintenance.isRunning());
      leads.set(true);
      Thread.sleep(500);
      assertFalse(waiting(later, notRecovered), "revoked: the loop is gone");
      assertEquals(1, maintenance.starts());
    } finally {
      maintenance.close();
      client.redisson().getKeys().deleteByPattern("bull:" + queue + ":*");
      client.redisson().getKeys().deleteByPattern("bull:" + later + ":*");
    }
  }
}
