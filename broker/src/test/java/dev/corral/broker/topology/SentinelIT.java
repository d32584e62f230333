package dev.corral.broker.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.events.EventType;
import dev.corral.broker.events.QueueEvent;
import dev.corral.broker.events.QueueEvents;
import dev.corral.broker.redis.LocalRedisServer;
import dev.corral.broker.testing.Ports;
import dev.corral.broker.testing.RedisTestSupport;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code redis-sentinel://} URL against a real Sentinel (the same redis-server binary in sentinel mode) watching
 * the tests' Redis as its master: scripts run through Redisson's Sentinel-routed pool, and a dedicated connection
 * (a QueueEvents reader) goes to the master the Sentinel names.
 */
class SentinelIT {

  @Test
  void aQueueAndItsEventsWorkThroughASentinel(@TempDir Path dir) throws Exception {
    URI master = URI.create(RedisTestSupport.redisUrl());
    Path exe = LocalRedisServer.findExecutable().orElseThrow(() -> new IllegalStateException(
        "no redis-server binary (PATH or the embedded artifact) to run a Sentinel with"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, """
        port %d
        bind 127.0.0.1
        dir %s
        sentinel monitor corralmaster %s %d 1
        sentinel down-after-milliseconds corralmaster 60000
        """.formatted(port, dir, master.getHost(), master.getPort()));
    Process sentinel = new ProcessBuilder(exe.toString(), conf.toString(), "--sentinel")
        .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
    try {
      Ports.awaitListening(port);
      try (BrokerClient client = BrokerClient.connect(
          RedisSettings.parse("redis-sentinel://127.0.0.1:" + port + "/corralmaster"), Clock.systemUTC())) {
        String name = RedisTestSupport.uniqueQueueName("sentinel");
        Queue queue = client.queue(name);
        LinkedBlockingQueue<QueueEvent> added = new LinkedBlockingQueue<>();
        try (QueueEvents events = QueueEvents.create(client, name)) {
          events.addListener(EventType.ADDED, added::add).start();
          String id = queue.add("through-sentinel", Map.of("n", 1));
          assertEquals("through-sentinel", queue.getJob(id).orElseThrow().name());
          assertEquals(1L, queue.getJobCount(dev.corral.broker.JobState.WAITING), "counted through the Sentinel-routed pool");
          QueueEvent event = added.poll(15, TimeUnit.SECONDS);
          assertTrue(event != null, "the events reader (a dedicated connection to the master) saw the add");
          assertEquals(id, event.jobId());
        } finally {
          client.redisson().getKeys().deleteByPattern("bull:" + name + ":*");
        }
      }
    } finally {
      sentinel.destroy();
      sentinel.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
