package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.Role;
import dev.corral.api.auth.TokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {

  @Test
  void defaultsWithNothingSet() {
    ApiConfig config = ApiConfig.from(Map.of(), List.of("--insecure-dev"));

    assertTrue(config.security().insecureDev());
    assertTrue(config.security().tokens().isEmpty());
    assertFalse(config.security().protectHealth());
    assertEquals(1_048_576, config.security().maxBodyBytes());
    assertEquals("0.0.0.0", config.host());
    assertEquals(8080, config.port());
    assertTrue(config.externalRedis().isEmpty());
    assertEquals(Path.of("data").toAbsolutePath(), config.dataDir());
  }

  @Test
  void environmentIsRead() {
    ApiConfig config = ApiConfig.from(Map.of("HOST", "127.0.0.1", "PORT", "9090",
        "REDIS_URL", "redis://:secret@redis.example:6380/2", "CORRAL_DATA_DIR", "/var/lib/corral",
        "CORRAL_TOKENS", "admin:a1,worker:w1", "CORRAL_PROTECT_HEALTH", "true", "CORRAL_MAX_BODY_BYTES", "4096"),
        List.of());

    assertEquals("127.0.0.1", config.host());
    assertEquals(9090, config.port());
    assertEquals("redis.example", config.redis().host());
    assertEquals(6380, config.redis().port());
    assertEquals(2, config.redis().database());
    assertEquals(Path.of("/var/lib/corral"), config.dataDir());
    assertEquals(Optional.of(Role.WORKER), config.security().tokens().roleOf("w1"));
    assertTrue(config.security().protectHealth());
    assertFalse(config.security().insecureDev());
    assertEquals(4096, config.security().maxBodyBytes());
  }

  @Test
  void maxStreamsAndBoundWorkerTokens() {
    assertEquals(100, ApiConfig.from(Map.of(), List.of("--insecure-dev")).streams().maxStreams());
    assertEquals(7, ApiConfig.from(Map.of("CORRAL_MAX_STREAMS", "7"), List.of("--insecure-dev")).streams().maxStreams());
    assertEquals(3, ApiConfig.from(Map.of("CORRAL_MAX_STREAMS", "7"), List.of("--insecure-dev", "--max-streams=3"))
        .streams().maxStreams());
    assertMessage("--max-streams must be a whole number between 1 and 100000, was '0'", Map.of(),
        List.of("--insecure-dev", "--max-streams=0"));
    ApiConfig bound = ApiConfig.from(Map.of("CORRAL_TOKENS", "worker@py-*:w1,admin:a1"), List.of());
    assertEquals(List.of("py-*"), bound.security().tokens().callerOf("w1").orElseThrow().workers().patterns());
    assertMessage("CORRAL_TOKENS entry 1: only worker tokens can be bound to worker ids (worker@<id>:...), not "
        + "operator tokens", Map.of("CORRAL_TOKENS", "operator@x:o1"), List.of());
  }

  @Test
  void withoutAnyTokenStartupIsRefusedUnlessInsecureDevIsExplicit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.from(Map.of(), List.of()));
    assertTrue(e.getMessage().startsWith("no API tokens configured. Set CORRAL_TOKENS="), e.getMessage());
    assertTrue(e.getMessage().contains("--insecure-dev"), e.getMessage());
    assertTrue(ApiConfig.from(Map.of("CORRAL_INSECURE_DEV", "true"), List.of()).security().insecureDev());
    assertTrue(ApiConfig.from(Map.of(), List.of("--insecure-dev=true")).security().insecureDev());
    assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.from(Map.of("CORRAL_INSECURE_DEV", "true"), List.of("--insecure-dev=false")));
    assertThrows(IllegalArgumentException.class, () -> ApiConfig.from(Map.of("CORRAL_TOKENS", " "), List.of()));
  }

  @Test
  void tokensFileAcceptsPlainAndHashedTokensAndAddsToTheFlag(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# corral tokens\noperator:o1\nsubmitter:sha256:" + TokenStore.sha256Hex("s1") + "\n");

    ApiConfig config = ApiConfig.from(Map.of("CORRAL_TOKENS_FILE", file.toString()), List.of("--tokens=admin:a1"));

    assertEquals(3, config.security().tokens().size());
    assertEquals(Optional.of(Role.SUBMITTER), config.security().tokens().roleOf("s1"));
    assertEquals(Optional.of(Role.OPERATOR), config.security().tokens().roleOf("o1"));
    assertEquals(Optional.of(Role.ADMIN), config.security().tokens().roleOf("a1"));
  }

  @Test
  void badSecurityValuesNameTheirSource(@TempDir Path dir) {
    assertMessage("--tokens entry 1: unknown role 'root'; roles are admin, operator, worker, submitter",
        Map.of(), List.of("--tokens=root:x"));
    String missing = dir.resolve("nope").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.from(Map.of("CORRAL_TOKENS_FILE", missing), List.of()));
    assertTrue(e.getMessage().startsWith("CORRAL_TOKENS_FILE: cannot read tokens file '" + missing + "'"),
        e.getMessage());
    assertMessage("CORRAL_MAX_BODY_BYTES must be a positive number of bytes, was '-1'",
        Map.of("CORRAL_MAX_BODY_BYTES", "-1", "CORRAL_TOKENS", "admin:a"), List.of());
    assertMessage("--protect-health must be true or false, was 'maybe'",
        Map.of("CORRAL_TOKENS", "admin:a"), List.of("--protect-health=maybe"));
  }

  @Test
  void flagsOverrideTheEnvironment() {
    ApiConfig config = ApiConfig.from(Map.of("PORT", "9090", "REDIS_URL", "redis://a:6379"),
        List.of("--port=0", "--host=localhost", "--redis-url=redis://b:6379", "--data-dir=/tmp/x", "--insecure-dev"));

    assertEquals(0, config.port());
    assertEquals("localhost", config.host());
    assertEquals("b", config.redis().host());
    assertEquals(Path.of("/tmp/x"), config.dataDir());
  }

  @Test
  void aBlankRedisUrlVariableMeansEmbedded() {
    assertNull(ApiConfig.from(Map.of("REDIS_URL", " "), List.of("--insecure-dev")).redis());
  }

  @Test
  void badValuesNameTheirSource() {
    assertMessage("PORT must be a number between 0 and 65535 (0 = any free port), was 'http'",
        Map.of("PORT", "http"), List.of());
    assertMessage("--port must be a number between 0 and 65535 (0 = any free port), was '70000'",
        Map.of(), List.of("--port=70000"));
    assertMessage("REDIS_URL must start with redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://, was 'localhost:6379'",
        Map.of("REDIS_URL", "localhost:6379"), List.of());
    assertMessage("--redis-url: REDIS_URL must start with "
        + "redis://, rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://, was 'http://x'",
        Map.of(), List.of("--redis-url=http://x"));
    assertMessage("--host cannot be empty", Map.of(), List.of("--host="));
    assertMessage("--data-dir cannot be empty", Map.of(), List.of("--data-dir="));
  }

  @Test
  void unknownOrMalformedArgumentsAreRejected() {
    assertMessage("unknown option '--prot'; valid options are --port=, --host=, --redis-url=, --data-dir=, "
        + "--tokens=, --tokens-file=, --insecure-dev, --protect-health, --max-body-bytes=, --leader-ttl-ms=, "
        + "--instance-id=, --stalled-interval-ms=, --max-streams=, --prefix= and --help",
        Map.of(), List.of("--prot=1"));
    assertMessage("unexpected argument '8080': options take the form --name=value (see --help)",
        Map.of(), List.of("8080"));
    assertMessage("unexpected argument '--port': options take the form --name=value (see --help)",
        Map.of(), List.of("--port"));
  }

  @Test
  void leaderTtlAndInstanceIdHaveDefaultsAndAreValidated() {
    ApiConfig defaults = ApiConfig.from(Map.of(), List.of("--insecure-dev"));
    assertEquals(java.time.Duration.ofSeconds(10), defaults.leaderTtl());
    assertEquals(null, defaults.instanceId());

    ApiConfig set = ApiConfig.from(Map.of("CORRAL_LEADER_TTL_MS", "5000", "CORRAL_INSTANCE_ID", "env-id"),
        List.of("--insecure-dev", "--leader-ttl-ms=1000", "--instance-id=api-1.eu"));
    assertEquals(java.time.Duration.ofSeconds(1), set.leaderTtl());
    assertEquals("api-1.eu", set.instanceId());

    assertMessage("CORRAL_LEADER_TTL_MS must be a number of milliseconds between 300 and 600000, was '50'",
        Map.of("CORRAL_LEADER_TTL_MS", "50"), List.of("--insecure-dev"));
    assertMessage("--leader-ttl-ms must be a number of milliseconds between 300 and 600000, was 'soon'",
        Map.of(), List.of("--insecure-dev", "--leader-ttl-ms=soon"));
    assertMessage("--instance-id must be 1 to 128 of A-Z a-z 0-9 . _ -, was 'a b'",
        Map.of(), List.of("--insecure-dev", "--instance-id=a b"));

    assertEquals(java.time.Duration.ofSeconds(30), defaults.stalledInterval());
    assertEquals(java.time.Duration.ofSeconds(5), ApiConfig.from(Map.of("CORRAL_STALLED_INTERVAL_MS", "5000"),
        List.of("--insecure-dev")).stalledInterval());
    assertMessage("--stalled-interval-ms must be a number of milliseconds between 1000 and 3600000, was '10'",
        Map.of(), List.of("--insecure-dev", "--stalled-interval-ms=10"));
  }

  @Test
  void sentinelAndClusterUrlsAreAcceptedAndTheirErrorsNameTheFlag() {
    ApiConfig sentinel = ApiConfig.from(Map.of("REDIS_URL", "redis-sentinel://:pw@s1,s2:26380/mymaster/1"),
        List.of("--insecure-dev"));
    assertEquals(dev.corral.broker.RedisSettings.Topology.SENTINEL, sentinel.redis().topology());
    assertEquals("mymaster", sentinel.redis().masterName());
    ApiConfig cluster = ApiConfig.from(Map.of(), List.of("--insecure-dev", "--redis-url=redis-cluster://n1,n2",
        "--prefix={bull}"));
    assertEquals(2, cluster.redis().nodes().size());
    assertMessage("--redis-url: REDIS_URL: redis-sentinel:// needs the master name after the hosts, e.g. "
        + "redis-sentinel://h1:26379,h2:26379/mymaster", Map.of(), List.of("--insecure-dev",
        "--redis-url=redis-sentinel://s1,s2"));
  }

  @Test
  void helpIsRecognised() {
    assertTrue(ApiConfig.wantsHelp(List.of("--help")));
    assertTrue(ApiConfig.wantsHelp(List.of("--port=1", "-h")));
    assertFalse(ApiConfig.wantsHelp(List.of("--port=1")));
  }

  @Test
  void onClusterThePrefixMustBeHashTagged() {
    assertMessage("with a redis-cluster:// REDIS_URL the key prefix must be hash-tagged so that each queue's keys "
        + "share one slot (as BullMQ requires), e.g. CORRAL_PREFIX={bull}; was 'bull'",
        Map.of("REDIS_URL", "redis-cluster://n1:7000,n2:7000"), List.of("--insecure-dev"));
    assertEquals("{bull}", ApiConfig.from(Map.of("REDIS_URL", "redis-cluster://n1:7000", "CORRAL_PREFIX", "{bull}"),
        List.of("--insecure-dev")).prefix());
  }

  private static void assertMessage(String expected, Map<String, String> env, List<String> args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.from(env, args));
    assertEquals(expected, e.getMessage());
  }
}
