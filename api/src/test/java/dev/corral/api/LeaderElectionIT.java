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

/** Two API servers on one Redis: exactly one leads and runs the maintenance; when it dies the other takes over. */
class LeaderElectionIT {

  private static final Duration TTL = Duration.ofSeconds(1);

  private static ApiServer start(Path dir, String id) {
    ApiConfig config = new ApiConfig("127.0.0.1", 0, RedisSettings.parse(RedisTestSupport.redisUrl()), dir,
        TestServer.SECURITY).withLeaderTtl(TTL).withInstanceId(id);
    return ApiServer.start(config);
  }

  private static JsonNode leader(ApiServer server) {
    Http.Reply reply = Http.get(URI.create("http://127.0.0.1:" + server.port()), "/api/admin/leader");
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  @Test
  void exactlyOneOfTwoInstancesLeadsAndALeaderThatDiesIsReplacedWithinTtlPlusOneRenewPeriod(@TempDir Path dir)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    try (ApiServer a = start(dir, "api-a-" + suffix); ApiServer b = start(dir, "api-b-" + suffix)) {
      Await.until(Duration.ofSeconds(10), () -> a.lease().isLeader() || b.lease().isLeader());
      Thread.sleep(TTL.toMillis() * 2); // several renewal rounds: still one leader
      assertTrue(a.lease().isLeader() ^ b.lease().isLeader(), "exactly one leader");
      ApiServer first = a.lease().isLeader() ? a : b;
      ApiServer second = first == a ? b : a;

      JsonNode fromFirst = leader(first);
      JsonNode fromSecond = leader(second);
      assertEquals(first.lease().instanceId(), fromFirst.path("leader_id").asText());
      assertEquals(first.lease().instanceId(), fromSecond.path("leader_id").asText(), "both see the same leader");
      assertTrue(fromFirst.path("is_leader").asBoolean());
      assertFalse(fromSecond.path("is_leader").asBoolean());
      assertTrue(fromFirst.path("acquired_at").asLong() > 0, fromFirst.toString());
      assertTrue(fromSecond.path("expires_in_ms").asLong() <= TTL.toMillis(), fromSecond.toString());
      assertTrue(first.maintenance().isRunning(), "the leader runs the maintenance");
      assertFalse(second.maintenance().isRunning(), "the other does not");
      JsonNode health = Http.get(URI.create("http://127.0.0.1:" + first.port()), "/health").json();
      assertTrue(health.path("is_leader").asBoolean(), health.toString());
      assertEquals("ok", health.path("components").path("executions").path("status").asText(), health.toString());

      long t0 = System.nanoTime();
      first.lease().abandon(); // the leader dies: no more renewals, and no release
      assertFalse(first.maintenance().isRunning(), "a leader that stops renewing stops its duties at once");
      Await.until(Duration.ofSeconds(10), () -> second.lease().isLeader());
      long failoverMs = (System.nanoTime() - t0) / 1_000_000;
      long bound = TTL.toMillis() + TTL.dividedBy(3).toMillis();
      System.out.println("leader failover after the leader died: " + failoverMs + " ms (bound " + bound + " ms)");
      assertTrue(failoverMs <= bound + 250, "failover took " + failoverMs + " ms, bound " + bound + " ms");
      Await.until(Duration.ofSeconds(2), () -> second.maintenance().isRunning());
      assertEquals(second.lease().instanceId(), leader(first).path("leader_id").asText());
    }
  }

  @Test
  void aLeaderThatStopsReleasesTheLeaseAndTheOtherTakesOverBeforeTheTtl(@TempDir Path dir) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    ApiServer a = start(dir, "api-c-" + suffix);
    try (ApiServer b = start(dir, "api-d-" + suffix)) {
      Await.until(Duration.ofSeconds(10), () -> a.lease().isLeader() || b.lease().isLeader());
      ApiServer leader = a.lease().isLeader() ? a : b;
      ApiServer other = leader == a ? b : a;
      long t0 = System.nanoTime();
      assertTrue(leader.stop().orElseThrow().contains("leader lease released"));
      Await.until(Duration.ofSeconds(10), () -> other.lease().isLeader());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("leader handover after a graceful stop: " + ms + " ms");
      assertTrue(ms < TTL.toMillis() + 300, "handover took " + ms + " ms");
    } finally {
      a.close();
    }
  }
}
