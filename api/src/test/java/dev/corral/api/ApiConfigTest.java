package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  @Test
  void defaultsWithNothingSet() {
    ApiConfig config = ApiConfig.from(Map.of(), List.of());

    assertEquals("0.0.0.0", config.host());
    assertEquals(8080, config.port());
    assertTrue(config.externalRedis().isEmpty());
    assertEquals(Path.of("data").toAbsolutePath(), config.dataDir());
  }

  @Test
  void environmentIsRead() {
    ApiConfig config = ApiConfig.from(Map.of("HOST", "127.0.0.1", "PORT", "9090",
        "REDIS_URL", "redis://:secret@redis.example:6380/2", "CORRAL_DATA_DIR", "/var/lib/corral"), List.of());

    assertEquals("127.0.0.1", config.host());
    assertEquals(9090, config.port());
    assertEquals("redis.example", config.redis().host());
    assertEquals(6380, config.redis().port());
    assertEquals(2, config.redis().database());
    assertEquals(Path.of("/var/lib/corral"), config.dataDir());
  }

  @Test
  void flagsOverrideTheEnvironment() {
    ApiConfig config = ApiConfig.from(Map.of("PORT", "9090", "REDIS_URL", "redis://a:6379"),
        List.of("--port=0", "--host=localhost", "--redis-url=redis://b:6379", "--data-dir=/tmp/x"));

    assertEquals(0, config.port());
    assertEquals("localhost", config.host());
    assertEquals("b", config.redis().host());
    assertEquals(Path.of("/tmp/x"), config.dataDir());
  }

  @Test
  void aBlankRedisUrlVariableMeansEmbedded() {
    assertNull(ApiConfig.from(Map.of("REDIS_URL", " "), List.of()).redis());
  }

  @Test
  void badValuesNameTheirSource() {
    assertMessage("PORT must be a number between 0 and 65535 (0 = any free port), was 'http'",
        Map.of("PORT", "http"), List.of());
    assertMessage("--port must be a number between 0 and 65535 (0 = any free port), was '70000'",
        Map.of(), List.of("--port=70000"));
    assertMessage("REDIS_URL must start with redis:// or rediss://, was 'localhost:6379'",
        Map.of("REDIS_URL", "localhost:6379"), List.of());
    assertMessage("--redis-url: REDIS_URL must start with redis:// or rediss://, was 'http://x'",
        Map.of(), List.of("--redis-url=http://x"));
    assertMessage("--host cannot be empty", Map.of(), List.of("--host="));
    assertMessage("--data-dir cannot be empty", Map.of(), List.of("--data-dir="));
  }

  @Test
  void unknownOrMalformedArgumentsAreRejected() {
    assertMessage("unknown option '--prot'; valid options are --port=, --host=, --redis-url=, --data-dir= and --help",
        Map.of(), List.of("--prot=1"));
    assertMessage("unexpected argument '8080': options take the form --name=value (see --help)",
        Map.of(), List.of("8080"));
    assertMessage("unexpected argument '--port': options take the form --name=value (see --help)",
        Map.of(), List.of("--port"));
  }

  @Test
  void helpIsRecognised() {
    assertTrue(ApiConfig.wantsHelp(List.of("--help")));
    assertTrue(ApiConfig.wantsHelp(List.of("--port=1", "-h")));
    assertFalse(ApiConfig.wantsHelp(List.of("--port=1")));
  }

  private static void assertMessage(String expected, Map<String, String> env, List<String> args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.from(env, args));
    assertEquals(expected, e.getMessage());
  }
}
