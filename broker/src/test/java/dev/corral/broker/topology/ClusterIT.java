package dev.corral.broker.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BlockingConnection;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.events.EventType;
import dev.corral.broker.events.QueueEvent;
import dev.corral.broker.events.QueueEvents;
import dev.corral.broker.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code redis-cluster://} URL against a real three-master cluster: a queue under a hash-tagged prefix whose slot
 * lives on a node other than the first listed one works for scripts (routed by key) and for the dedicated
 * connections (a QueueEvents reader, a blocking marker wait), which go to the master of the queue's slot.
 */
class ClusterIT {

  @Test
  void aQueueOnAnotherNodeWorksForScriptsEventsAndBlockingReads(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir);
        BrokerClient client = BrokerClient.connect(RedisSettings.parse(cluster.url()), Clock.systemUTC())) {
      String prefix = null;
      for (int i = 0; prefix == null; i++) {
        String candidate = "{corral" + i + "}";
        if (client.redisson().getKeys().getSlot(candidate + ":q:wait") > LocalCluster.firstNodeLastSlot()) {
          prefix = candidate;
        }
      }
      Queue queue = client.queue("q", QueueOptions.defaults().withPrefix(prefix));
      LinkedBlockingQueue<QueueEvent> added = new LinkedBlockingQueue<>();
      try (QueueEvents events = QueueEvents.create(client, "q",
          dev.corral.broker.events.QueueEventsOptions.defaults().withPrefix(prefix));
          BlockingConnection blocking = client.openBlockingConnection("corral:test", queue.keys().marker())) {
        events.addListener(EventType.ADDED, added::add).start();
        String id = queue.add("on-another-node", Map.of("n", 1));
        assertEquals("on-another-node", queue.getJob(id).orElseThrow().name());
        assertEquals(1L, queue.getJobCount(JobState.WAITING));
        QueueEvent event = added.poll(15, TimeUnit.SECONDS);
        assertNotNull(event, "the events reader, on the slot's master, saw the add");
        assertEquals(id, event.jobId());
        assertTrue(blocking.bzpopmin(queue.keys().marker(), 1).isPresent(),
            "the blocking connection, on the slot's master, popped the marker the add set");
      }
    }
  }
}
