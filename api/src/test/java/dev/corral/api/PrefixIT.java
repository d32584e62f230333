package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server with {@code --prefix=}: every route and the leader's keys use that prefix, and nothing of {@code bull}. */
class PrefixIT {

  @Test
  void jobsQueuesExecutionsAndTheLeaseLiveUnderTheConfiguredPrefix(@TempDir Path dir) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "px" + suffix;
    String queue = "orders-" + suffix;
    ApiConfig config = new ApiConfig("127.0.0.1", 0, RedisSettings.parse(RedisTestSupport.redisUrl()), dir,
        TestServer.SECURITY).withPrefix(prefix).withLeaderTtl(Duration.ofSeconds(1));
    var keys = TestServer.client().redisson().getKeys();
    try (ApiServer server = ApiServer.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port());
      Http.Reply added = Http.post(uri, "/api/queues/" + queue + "/jobs", "{\"name\":\"ship\",\"data\":{\"n\":1}}");
      assertEquals(201, added.status(), added.body());
      String id = added.json().path("id").asText();
      assertEquals(1, keys.countExists(prefix + ":" + queue + ":" + id), "the job hash is under the prefix");
      assertEquals(0, keys.countExists("bull:" + queue + ":" + id, "bull:" + queue + ":meta", "bull:" + queue + ":id"),
          "nothing under bull");
      assertEquals(200, Http.get(uri, "/api/queues/" + queue + "/jobs/" + id).status());

      JsonNode list = Http.get(uri, "/api/queues").json();
      assertEquals(1, list.path("total").asInt(), list.toString());
      assertEquals(queue, list.path("queues").path(0).path("name").asText(), list.toString());

      Http.Reply submitted = Http.post(uri, "/api/executions", """
          {"workflow_id":"wf-%s","nodes":[{"id":"a","queue":"%s"},{"id":"b","queue":"%s","depends_on":["a"]}]}
          """.formatted(suffix, queue, queue));
      assertEquals(201, submitted.status(), submitted.body());
      String exec = submitted.json().path("id").asText();
      assertEquals(200, Http.get(uri, "/api/executions/" + exec).status());
      assertFalse(keys.getKeysStream(
          org.redisson.api.options.KeysScanOptions.defaults().pattern(prefix + ":dag:*")).findAny().isEmpty(),
          "the execution's keys are under the prefix");

      Await.until(Duration.ofSeconds(10), () -> server.lease().isLeader());
      assertEquals(1, keys.countExists(prefix + ":corral:leader"), "the lease key is under the prefix");
      assertTrue(Http.get(uri, "/api/admin/leader").json().path("is_leader").asBoolean());
    } finally {
      keys.deleteByPattern(prefix + ":*");
    }
  }

  @Test
  void aBadPrefixIsAConfigurationError() {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ApiConfig.from(java.util.Map.of("CORRAL_PREFIX", "a\u0007b"), java.util.List.of("--insecure-dev")));
    assertTrue(e.getMessage().contains("CORRAL_PREFIX"), e.getMessage());
  }
}
