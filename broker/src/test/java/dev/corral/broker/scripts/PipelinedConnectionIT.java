package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared pipelined connection: every caller gets its own reply however many write at once, an error reply
 * fails only its own call, an interrupted caller still gets its reply, and a connection Redis closed fails every
 * call on it and is replaced.
 */
class PipelinedConnectionIT {

  private static RedisSettings settings;

  @BeforeAll
  static void settings() {
    settings = RedisSettings.parse(RedisTestSupport.redisUrl());
  }

  @Test
  void concurrentCallersEachGetTheirOwnReply() throws Exception {
    String key = "corral:test-pipelined:" + System.nanoTime() + ":";
    try (PipelinedConnection c = PipelinedConnection.open(settings, "corral:test-pipelined", 2000, 5000);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Object>>> results = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        int caller = t;
        results.add(threads.submit(() -> {
          List<Object> mine = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            // the reply names the caller and the call: any mix-up between callers shows
            mine.add(c.call("EVAL", "redis.call('INCR', KEYS[1]) return ARGV[1]", "1", key + caller,
                caller + "/" + i));
          }
          return mine;
        }));
      }
      for (int t = 0; t < 64; t++) {
        List<Object> mine = results.get(t).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 200; i++) {
          assertEquals(t + "/" + i, mine.get(i));
        }
        assertEquals("200", c.call("GET", key + t));
      }
      c.call("EVAL", "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", "0", key + "*");
    }
  }

  @Test
  void anErrorReplyFailsOnlyItsOwnCall() throws Exception {
    try (PipelinedConnection c = PipelinedConnection.open(settings, "corral:test-pipelined", 2000, 5000)) {
      Resp.ErrorReply e = assertThrows(Resp.ErrorReply.class,
          () -> c.call("EVAL", "return redis.error_reply('bad thing')", "0"));
      assertEquals("bad thing", e.getMessage());
      char[] sha = new char[40];
      Arrays.fill(sha, 'b');
      assertTrue(assertThrows(Resp.ErrorReply.class, () -> c.call("EVALSHA", new String(sha), "0")).isNoScript());
      assertTrue(c.isUsable());
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void anInterruptedCallerStillGetsItsReplyAndKeepsTheInterrupt() throws Exception {
    try (PipelinedConnection c = PipelinedConnection.open(settings, "corral:test-pipelined", 2000, 5000)) {
      AtomicReference<Object> reply = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      CountDownLatch sent = new CountDownLatch(1);
      Thread caller = Thread.ofVirtual().start(() -> {
        sent.countDown();
        // Redis answers after 300 ms; the interrupt comes while the caller waits
        reply.set(c.call("EVAL", "local t = redis.call('TIME') local e = t[1] * 1e6 + t[2] + 300000 "
            + "while true do local n = redis.call('TIME') if n[1] * 1e6 + n[2] >= e then break end end "
            + "return 'late'", "0"));
        flag.set(Thread.currentThread().isInterrupted());
      });
      sent.await();
      Thread.sleep(100);
      caller.interrupt();
      caller.join(5000);
      assertEquals("late", reply.get());
      assertEquals(Boolean.TRUE, flag.get());
      assertTrue(c.isUsable());
      assertEquals("PONG", c.call("PING"));
    }
  }

  @Test
  void aConnectionRedisClosedFailsItsCallsAndIsReplacedByTheRunner() throws Exception {
    String name = "corral:test-pipelined-kill-" + System.nanoTime();
    try (PipelinedConnection c = PipelinedConnection.open(settings, name, 2000, 5000)) {
      assertEquals("PONG", c.call("PING"));
      try (DirectConnection admin = DirectConnection.open(settings, "corral:test-admin", 2000, 5000)) {
        assertEquals(1L, admin.call("CLIENT", "KILL", "ID", clientId(admin, name)));
      }
      // the reader notices at once: the connection fails without a call being sent
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (c.isUsable() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertFalse(c.isUsable());
      BrokerException e = assertThrows(BrokerException.class, () -> c.call("PING"));
      assertTrue(e.getMessage().contains("Redis connection"), e.getMessage());
    }
  }

  private static String clientId(DirectConnection admin, String name) {
    return Arrays.stream(String.valueOf(admin.call("CLIENT", "LIST")).split("\n"))
        .filter(l -> l.contains("name=" + name + " ")).map(l -> l.split(" ")[0].substring(3)).findFirst()
        .orElseThrow();
  }
}
