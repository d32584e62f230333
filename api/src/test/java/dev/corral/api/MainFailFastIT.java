package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.testing.RedisTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Main} as a real process: bad settings and an unreachable Redis end it with a message, not a trace. */
class MainFailFastIT {

  private record Exit(int code, String output, long millis) {}

  @Test
  void anInvalidPortExitsWithCode2AndNamesTheFlag() throws Exception {
    Exit exit = runMain(List.of("--port=eighty", "--redis-url=redis://127.0.0.1:1"));

    assertEquals(Main.EXIT_CONFIG, exit.code(), exit.output());
    assertTrue(exit.output().contains("--port must be a number between 0 and 65535"), exit.output());
    assertNoStackTrace(exit);
  }

  @Test
  void anUnreachableRedisExitsWithCode1Quickly() throws Exception {
    int closedPort = freePort();
    Exit exit = runMain(List.of("--port=0", "--host=127.0.0.1", "--redis-url=redis://127.0.0.1:" + closedPort,
        "--tokens=admin:a1"));

    assertEquals(Main.EXIT_STARTUP, exit.code(), exit.output());
    assertTrue(exit.output().contains("corral-api: cannot start: cannot connect to Redis at redis://127.0.0.1:"
        + closedPort), exit.output());
    assertTrue(exit.output().contains("REDIS_URL"), "tells how to fix it: " + exit.output());
    assertNoStackTrace(exit);
    assertTrue(exit.millis() < 20_000, "fails fast, took " + exit.millis() + " ms");
  }

  @Test
  void aPortInUseExitsWithCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Exit exit = runMain(List.of("--port=" + taken.getLocalPort(), "--host=127.0.0.1",
          "--redis-url=" + RedisTestSupport.redisUrl(), "--insecure-dev"));

      assertEquals(Main.EXIT_STARTUP, exit.code(), exit.output());
      assertTrue(exit.output().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), exit.output());
      assertNoStackTrace(exit);
    }
  }

  @Test
  void withoutAnyTokenStartupIsRefusedWithCode2AndExplainsTheFix() throws Exception {
    Exit exit = runMain(List.of("--port=0", "--host=127.0.0.1", "--redis-url=" + RedisTestSupport.redisUrl()));

    assertEquals(Main.EXIT_CONFIG, exit.code(), exit.output());
    assertTrue(exit.output().contains("corral-api: invalid configuration: no API tokens configured. Set CORRAL_TOKENS="),
        exit.output());
    assertTrue(exit.output().contains("--insecure-dev"), exit.output());
    assertNoStackTrace(exit);
  }

  private static void assertNoStackTrace(Exit exit) {
    assertFalse(exit.output().contains("\tat "), "no stack trace: " + exit.output());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Exit runMain(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(args);
    Path log = Files.createTempFile("corral-main-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("REDIS_URL");
    List.of("CORRAL_TOKENS", "CORRAL_TOKENS_FILE", "CORRAL_INSECURE_DEV").forEach(pb.environment()::remove);
    long t0 = System.nanoTime();
    Process process = pb.start();
    try {
      boolean exited = process.waitFor(60, TimeUnit.SECONDS);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!exited) {
        throw new AssertionError("Main did not exit within 60 s:\n" + output);
      }
      return new Exit(process.exitValue(), output, millis);
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
