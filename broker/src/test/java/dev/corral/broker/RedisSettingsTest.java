package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.RedisSettings.Node;
import dev.corral.broker.RedisSettings.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

  @Test
  void aSingleServerUrlKeepsItsMeaning() {
    RedisSettings s = RedisSettings.parse("redis://u:p%40ss@cache.local:6380/3");
    assertEquals(Topology.SINGLE, s.topology());
    assertEquals("cache.local", s.host());
    assertEquals(6380, s.port());
    assertEquals("u", s.username());
    assertEquals("p@ss", s.password());
    assertEquals(3, s.database());
    assertEquals("redis://cache.local:6380/3", s.redacted());
    assertEquals(List.of("redis://cache.local:6380"), s.nodeAddresses());
    assertTrue(s.isSingle());
    assertTrue(RedisSettings.parse("rediss://h").tls());
    assertEquals(6379, RedisSettings.parse("redis://h").port());
  }

  @Test
  void aSentinelUrlListsTheSentinelsTheMasterNameAndTheDatabase() {
    RedisSettings s = RedisSettings.parse("redis-sentinel://:secret@s1:26380,s2,[::1]:26381/mymaster/2");
    assertEquals(Topology.SENTINEL, s.topology());
    assertEquals(List.of(new Node("s1", 26380), new Node("s2", 26379), new Node("::1", 26381)), s.nodes());
    assertEquals("mymaster", s.masterName());
    assertEquals(2, s.database());
    assertNull(s.username());
    assertEquals("secret", s.password());
    assertFalse(s.tls());
    assertFalse(s.isSingle());
    assertEquals(List.of("redis://s1:26380", "redis://s2:26379", "redis://[::1]:26381"), s.nodeAddresses());
    assertEquals("redis-sentinel://s1:26380,s2:26379,[::1]:26381/mymaster/2", s.redacted());
    assertEquals(0, RedisSettings.parse("rediss-sentinel://s1/m").database());
    assertTrue(RedisSettings.parse("rediss-sentinel://s1/m").tls());
  }

  @Test
  void aClusterUrlListsTheSeedNodes() {
    RedisSettings s = RedisSettings.parse("redis-cluster://app:pw@n1:7000,n2:7001,n3");
    assertEquals(Topology.CLUSTER, s.topology());
    assertEquals(List.of(new Node("n1", 7000), new Node("n2", 7001), new Node("n3", 6379)), s.nodes());
    assertEquals("app", s.username());
    assertEquals("pw", s.password());
    assertEquals("n1", s.host());
    assertEquals(7000, s.port());
    assertEquals("redis-cluster://n1:7000,n2:7001,n3:6379", s.redacted());
    assertTrue(RedisSettings.parse("rediss-cluster://n1").nodeAddresses().get(0).startsWith("rediss://"));
  }

  @Test
  void theRedactedFormsAndToStringNeverShowThePassword() {
    for (String url : List.of("redis://u:hunter2@h:1/0", "redis-sentinel://u:hunter2@a,b/m",
        "redis-cluster://:hunter2@a,b")) {
      RedisSettings s = RedisSettings.parse(url);
      assertFalse(s.redacted().contains("hunter2"), s.redacted());
      assertFalse(s.toString().contains("hunter2"), s.toString());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.parse("memcached://u:hunter2@h"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void errorsNameThePartOfTheUrlThatIsWrong() {
    assertError("redis-sentinel://s1,s2", "needs the master name after the hosts");
    assertError("redis-sentinel://s1,s2/", "needs the master name after the hosts");
    assertError("redis-sentinel://s1,,s3/m", "sentinel host 2 is empty");
    assertError("redis-sentinel://s1,s2:abc/m", "sentinel host 2 ('s2:abc') has an invalid port 'abc'");
    assertError("redis-sentinel://s1:0/m", "sentinel host 1 ('s1:0') has an invalid port '0'");
    assertError("redis-sentinel://s1/m/x", "database must be a number, was 'x'");
    assertError("redis-sentinel://s1/m/1/2", "only a database may follow");
    assertError("redis-cluster://n1,n2/1", "takes no path (Redis Cluster has only database 0)");
    assertError("redis-cluster://n1,n 2", "cluster host 2 ('n 2') is not a valid host name");
    assertError("redis-cluster://::1:7000", "is an IPv6 address; write it in brackets");
    assertError("redis-cluster://[::1:7000", "has no closing ']'");
    assertError("redis-cluster://", "cluster host 1 is empty");
    assertError("http://h", "must start with redis://, rediss://, redis-sentinel://");
    assertError("redis:///0", "has no host");
    assertError(" ", "cannot be empty");
  }

  private static void assertError(String url, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.parse(url), url);
    assertTrue(e.getMessage().contains(expected), url + " -> " + e.getMessage());
  }
}
