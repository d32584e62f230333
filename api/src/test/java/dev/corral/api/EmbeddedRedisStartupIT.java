package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Main's startup logic without REDIS_URL: the embedded Redis, its append-only file, and a clean stop. */
class EmbeddedRedisStartupIT {

  @TempDir
  Path dataDir;

  private ApiServer start() {
    return ApiServer.start(new ApiConfig("127.0.0.1", 0, null, dataDir,
        dev.corral.api.auth.SecuritySettings.insecureDevelopment()));
  }

  @Test
  void withoutRedisUrlTheEmbeddedRedisServesAndPersistsUnderTheDataDir() throws IOException {
    String queue = "startup";
    int redisPort;
    try (ApiServer server = start()) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
      redisPort = URI.create(server.embeddedRedisUrl().orElseThrow()).getPort();

      Http.Reply health = Http.get(uri, "/health");
      assertEquals(200, health.status(), health.body());
      assertEquals("UP", health.json().path("redis").path("status").asText());
      assertEquals(200, Http.post(uri, "/api/queues/" + queue + "/pause").status());

      assertTrue(aofFiles().stream().anyMatch(f -> f.getFileName().toString().startsWith("corral.aof")),
          "append-only file under " + dataDir + ": " + aofFiles());
    }
    assertFalse(answers(redisPort), "embedded Redis stopped with the server");

    try (ApiServer again = start()) {
      URI uri = URI.create("http://127.0.0.1:" + again.port() + "/");
      Http.Reply reply = Http.get(uri, "/api/queues/" + queue);
      assertTrue(reply.json().path("paused").asBoolean(), "state survived the restart: " + reply.body());
    }
  }

  @Test
  void aSecondServerCannotUseTheSameDataDir() {
    try (ApiServer first = start()) {
      StartupException e = assertThrows(StartupException.class, this::start);
      assertTrue(e.getMessage().contains("cannot use data directory"), e.getMessage());
      assertEquals(200, Http.get(URI.create("http://127.0.0.1:" + first.port() + "/"), "/health").status());
    }
  }

  private List<Path> aofFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("redis"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static boolean answers(int port) {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
