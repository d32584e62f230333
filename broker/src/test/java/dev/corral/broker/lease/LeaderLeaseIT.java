package dev.corral.broker.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

class LeaderLeaseIT {

  private static final Duration TTL = Duration.ofMillis(600);
  private static final BrokerClient client = RedisTestSupport.sharedClient();

  /** Records what the lease told it. */
  static final class Events implements LeaderLease.Listener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void elected() {
      seen.add("elected");
    }

    @Override
    public void revoked(String reason) {
      seen.add("revoked: " + reason);
    }
  }

  private static LeaseOptions options(String prefix, String id) {
    return new LeaseOptions(prefix, id, TTL, TTL.dividedBy(3));
  }

  private static String prefix() {
    return "lease-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String holderOf(String prefix) {
    return client.redisson().<String>getBucket(new LeaseKeys(prefix).leader(), StringCodec.INSTANCE).get();
  }

  @Test
  void ofTwoInstancesExactlyOneLeadsAndTheKeyNamesIt() throws Exception {
    String prefix = prefix();
    Events ea = new Events();
    Events eb = new Events();
    try (LeaderLease a = LeaderLease.create(client, options(prefix, "a"));
         LeaderLease b = LeaderLease.create(client, options(prefix, "b"))) {
      a.start(ea);
      b.start(eb);
      Await.until(Duration.ofSeconds(5), () -> a.isLeader() || b.isLeader());
      Thread.sleep(TTL.toMillis() * 2); // several renewal rounds
      assertTrue(a.isLeader() ^ b.isLeader(), "exactly one leader");
      LeaderLease leader = a.isLeader() ? a : b;
      assertEquals(leader.instanceId(), holderOf(prefix));
      assertEquals(leader.instanceId(), leader.holder().orElseThrow().instanceId());
      assertTrue(leader.holder().orElseThrow().expiresInMs() <= TTL.toMillis());
      assertTrue(leader.acquiredAt() > 0);
      assertEquals(List.of("elected"), (leader == a ? ea : eb).seen);
      assertEquals(List.of(), (leader == a ? eb : ea).seen);
    }
  }

  @Test
  void closingTheLeaderReleasesTheLeaseAndTheOtherTakesOverWithinOneRenewPeriod() {
    String prefix = prefix();
    Events ea = new Events();
    try (LeaderLease a = LeaderLease.create(client, options(prefix, "a"));
         LeaderLease b = LeaderLease.create(client, options(prefix, "b"))) {
      a.start(ea);
      Await.until(Duration.ofSeconds(5), a::isLeader);
      b.start(new Events());
      a.close();
      assertFalse(a.isLeader());
      assertEquals(List.of("elected", "revoked: shutting down"), ea.seen);
      long t0 = System.nanoTime();
      Await.until(Duration.ofSeconds(5), b::isLeader);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < TTL.toMillis(), "took over after the release in " + ms + " ms, before the TTL");
      assertEquals("b", holderOf(prefix));
    }
  }

  @Test
  void aDeadLeadersLeaseExpiresAndTheOtherTakesOverWithinTtlPlusOneRenewPeriod() {
    String prefix = prefix();
    try (LeaderLease a = LeaderLease.create(client, options(prefix, "a"));
         LeaderLease b = LeaderLease.create(client, options(prefix, "b"))) {
      a.start(new Events());
      Await.until(Duration.ofSeconds(5), a::isLeader);
      b.start(new Events());
      long t0 = System.nanoTime();
      a.abandon(); // no release: the key stays until its TTL ends
      assertEquals("a", holderOf(prefix));
      Await.until(Duration.ofSeconds(5), b::isLeader);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long bound = TTL.toMillis() + TTL.dividedBy(3).toMillis();
      assertTrue(ms <= bound + 150, "failover took " + ms + " ms, bound " + bound + " ms");
      assertFalse(a.isLeader());
    }
  }

  @Test
  void aLeaderWhoseLeaseWasTakenStopsAtItsNextRenewalAndNeverRenewsTheOthers() {
    String prefix = prefix();
    Events ea = new Events();
    try (LeaderLease a = LeaderLease.create(client, options(prefix, "a"))) {
      a.start(ea);
      Await.until(Duration.ofSeconds(5), a::isLeader);
      client.redisson().getBucket(a.key(), StringCodec.INSTANCE).set("intruder", Duration.ofSeconds(30));
      Await.until(Duration.ofSeconds(2), () -> ea.seen.size() == 2);
      assertFalse(a.isLeader());
      assertEquals("revoked: the lease is held by intruder", ea.seen.get(1));
      assertEquals("intruder", holderOf(prefix), "the other holder's lease is left alone");
      a.close();
      assertEquals("intruder", holderOf(prefix), "release only removes its own lease");
    }
  }
}
