package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synchronous connection decodes replies as the pipelined path does and notices a closed socket. */
class DirectConnectionIT {

  private static final String NESTED = "return {1, 'two', {3, 'vier-ü'}, '', -5}";

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisSettings settings;

  @BeforeAll
  static void connect() {
    settings = RedisSettings.parse(RedisTestSupport.redisUrl());
  }

  @Test
  void repliesDecodeAsStringsLongsAndNestedLists() throws Exception {
    try (DirectConnection c = DirectConnection.open(settings, "corral:test-direct", 2000, 5000)) {
      Object reply = c.call("EVAL", NESTED, "0");
      assertEquals(List.of(1L, "two", List.of(3L, "vier-ü"), "", -5L), reply);
      assertEquals("PONG", c.call("PING"));
      assertNull(c.call("GET", "corral:test-direct:missing-" + System.nanoTime()));
      assertEquals(42L, c.call("EVAL", "return 42", "0"));
    }
  }

  @Test
  void anErrorReplyKeepsTheConnectionUsableAndNoscriptIsRecognised() throws Exception {
    try (DirectConnection c = DirectConnection.open(settings, "corral:test-direct", 2000, 5000)) {
      Resp.ErrorReply lua = assertThrows(Resp.ErrorReply.class,
          () -> c.call("EVAL", "return redis.error_reply('bad thing')", "0"));
      assertEquals("bad thing", lua.getMessage());
      assertFalse(lua.isNoScript());
      char[] sha = new char[40];
      Arrays.fill(sha, 'a');
      Resp.ErrorReply missing = assertThrows(Resp.ErrorReply.class,
          () -> c.call("EVALSHA", new String(sha), "0"));
      assertTrue(missing.isNoScript());
      assertTrue(c.isUsable());
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void aConnectionClosedByTheServerIsDetectedBeforeUseAfterIdling() throws Exception {
    String name = "corral:test-direct-kill-" + System.nanoTime();
    try (DirectConnection c = DirectConnection.open(settings, name, 2000, 5000)) {
      assertTrue(c.isAliveAfterIdle(0));
      try (DirectConnection admin = DirectConnection.open(settings, "corral:test-admin", 2000, 5000)) {
        Object list = admin.call("CLIENT", "LIST");
        String id = Arrays.stream(String.valueOf(list).split("\n")).filter(l -> l.contains("name=" + name + " "))
            .map(l -> l.split(" ")[0].substring(3)).findFirst().orElseThrow();
        assertEquals(1L, admin.call("CLIENT", "KILL", "ID", id));
      }
      // not idle long enough: no probe, the connection still looks usable
      assertTrue(c.isAliveAfterIdle(Long.MAX_VALUE));
      assertFalse(c.isAliveAfterIdle(0));
      assertFalse(c.isUsable());
      assertThrows(BrokerException.class, () -> c.call("PING"));
    }
  }
}
