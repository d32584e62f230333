package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.RedisTestSupport;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stopping a server with an open stream ends the stream and does not hang the stop. */
class StreamShutdownIT {

  @Test
  void stoppingTheServerEndsOpenStreams() throws Exception {
    ApiConfig config = new ApiConfig("127.0.0.1", 0, RedisSettings.parse(RedisTestSupport.redisUrl()),
        Files.createTempDirectory("corral-stream-stop"), TestServer.SECURITY);
    ApiServer server = ApiServer.start(config);
    URI uri = URI.create("http://127.0.0.1:" + server.port());
    try (SseClient c = SseClient.open(uri, "/api/stream?types=heartbeat,execution", Http.ADMIN_TOKEN, null)) {
      assertEquals(200, c.status);
      c.await("ready", 10);
      long t0 = System.nanoTime();
      server.close();
      long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
      assertTrue(ms < 10_000, "stopped in " + ms + " ms");
      // the stream ends: a final dropped event (server_stopping) or simply the end of the body, never a hang
      String last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!c.ended() && System.nanoTime() < deadline) {
        SseClient.Event e = c.next(1);
        if (e != null && "dropped".equals(e.event())) {
          last = e.data();
        }
      }
      assertTrue(c.ended(), "the stream ended");
      assertTrue(last == null || last.contains("server_stopping"), last);
    } finally {
      server.close();
    }
  }
}
