package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

/** {@code Main} as a real process stopped with SIGTERM: it exits 0, releases the leader lease, logs one line. */
class GracefulShutdownIT {

  @Test
  void sigtermStopsTheServerGracefullyWithExitCode0AndReleasesTheLease() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String id = "child-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = Files.createTempFile("corral-sigterm-", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--port=" + port, "--host=127.0.0.1",
        "--redis-url=" + RedisTestSupport.redisUrl(), "--tokens=admin:" + Http.ADMIN_TOKEN, "--leader-ttl-ms=1000",
        "--instance-id=" + id).redirectErrorStream(true).redirectOutput(log.toFile());
    List.of("REDIS_URL", "CORRAL_TOKENS", "CORRAL_TOKENS_FILE", "CORRAL_INSECURE_DEV").forEach(pb.environment()::remove);
    Process process = pb.start();
    try (BrokerClient client = RedisTestSupport.newClient()) {
      URI uri = URI.create("http://127.0.0.1:" + port);
      String key = "bull:corral:leader";
      Await.until(Duration.ofSeconds(60), () -> id.equals(client.redisson().getBucket(key, StringCodec.INSTANCE)
          .get()));
      assertEquals(200, Http.get(uri, "/health").status());

      long t0 = System.nanoTime();
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
      long stopMs = (System.nanoTime() - t0) / 1_000_000;
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println("SIGTERM to exit: " + stopMs + " ms");

      assertEquals(0, process.exitValue(), output);
      assertTrue(stopMs < 5_000, "an idle keep-alive connection does not hold the stop: " + stopMs + " ms");
      assertNull(client.redisson().getBucket(key, StringCodec.INSTANCE).get(), "the lease was released: " + output);
      List<String> lines = output.lines().filter(l -> l.startsWith("corral-api: stopped in")).toList();
      assertEquals(1, lines.size(), output);
      assertTrue(lines.get(0).contains("leader lease released") && lines.get(0).contains("requests finished"),
          lines.get(0));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
