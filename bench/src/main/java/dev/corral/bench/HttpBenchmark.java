package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Requests/s and latency of the API server for {@code GET /health}, {@code GET /api/queues/{q}} and
 * {@code POST /api/queues/{q}/jobs} at several concurrencies. Starts the server as its own JVM from
 * {@code api/target/corral-api.jar} (as {@code java -jar} runs it) on the run's Redis ({@link BenchRedis}) with a
 * submitter token, warms it up, then drives each route with {@link HttpLoad} (closed loop, one keep-alive
 * connection per concurrent client). Usage: {@code bench/run.sh --http [--seconds=S] [--warmup=S]
 * [--concurrency=1,16,64]}; writes {@code bench/results/http-latest.md}, the server log next to it.
 */
final class HttpBenchmark {

  private record Target(String label, String method, String path, boolean auth, String body, int status) {}

  private HttpBenchmark() {}

  static void run(String[] args) throws Exception {
    double seconds = doubleArg(args, "--seconds=", 15);
    double warmup = doubleArg(args, "--warmup=", 5);
    int[] levels = Arrays.stream(stringArg(args, "--concurrency=", "1,16,64").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    Path root = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : ".").toAbsolutePath();
    Path jar = root.resolve("api/target/corral-api.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with ./mvnw -DskipTests package -pl api -am");
    }
    String queue = "http-bench-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    List<Target> targets = List.of(
        new Target("GET /health", "GET", "/health", false, null, 200),
        new Target("GET /api/queues/{q}", "GET", "/api/queues/" + queue, true, null, 200),
        new Target("POST /api/queues/{q}/jobs", "POST", "/api/queues/" + queue + "/jobs", true,
            "{\"name\":\"bench\",\"data\":{\"to\":\"a@b.c\",\"n\":42}}", 201));
    Path log = root.resolve("bench/results/http-server.log");
    Files.createDirectories(log.getParent());
    List<String> rows = new ArrayList<>();
    try (BenchRedis redis = BenchRedis.open()) {
      int port = freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xms512m", "-Xmx512m", "-jar", jar.toString(),
          "--host=127.0.0.1", "--port=" + port)
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("REDIS_URL", redis.url());
      pb.environment().put("CORRAL_TOKENS", "submitter:" + token);
      Process server = pb.start();
      try {
        HttpLoad load = new HttpLoad("127.0.0.1", port);
        awaitHealthy(load, server, log);
        System.out.printf(Locale.ROOT, "API server pid %d on port %d (log %s); %d s per point after a %.0f s "
            + "warm-up per route%n", server.pid(), port, log, (long) seconds, warmup);
        for (Target t : targets) {
          byte[] request = load.request(t.method(), t.path(), t.auth() ? token : null, t.body());
          load.run(request, t.status(), 16, warmup);
          for (int c : levels) {
            HttpLoad.Run r = load.run(request, t.status(), c, seconds);
            String row = String.format(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.2f | %.2f | %.2f | %d |", t.label(),
                c, r.requests(), r.perSecond(), r.percentileMs(50), r.percentileMs(99), r.percentileMs(99.9),
                r.errors());
            System.out.println(row);
            rows.add(row);
          }
        }
      } finally {
        server.destroy(); // SIGTERM: the server's graceful stop
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      try (BrokerClient client = BrokerClient.connect(redis.url())) {
        client.redisson().getKeys().deleteByPattern("bull:" + queue + ":*");
      }
    }
    String md = "# HTTP API (" + Instant.now() + ")\n\n" + Runtime.getRuntime().availableProcessors()
        + " cores seen by the load generator, Java " + System.getProperty("java.version") + "; server: "
        + "java -Xms512m -Xmx512m -jar api/target/corral-api.jar, one submitter token; closed loop, one keep-alive "
        + "connection per client, " + (long) seconds + " s per row after " + (long) warmup + " s of warm-up per "
        + "route; load generator, server and Redis on the same machine.\n\n"
        + "| route | concurrency | requests | requests/s | p50 ms | p99 ms | p99.9 ms | errors |\n"
        + "|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
    System.out.println();
    System.out.println(md);
    Files.writeString(root.resolve("bench/results/http-latest.md"), md);
  }

  private static void awaitHealthy(HttpLoad load, Process server, Path log) throws Exception {
    byte[] health = load.request("GET", "/health", null, null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the API server exited with " + server.exitValue() + "; see " + log);
      }
      try (HttpLoad.Connection c = new HttpLoad.Connection("127.0.0.1", load.port())) {
        if (c.exchange(health) == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the API server did not become healthy within 60 s; see " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String stringArg(String[] args, String name, String def) {
    return Arrays.stream(args).filter(a -> a.startsWith(name)).map(a -> a.substring(name.length())).findFirst()
        .orElse(def);
  }

  private static double doubleArg(String[] args, String name, double def) {
    return Double.parseDouble(stringArg(args, name, String.valueOf(def)));
  }
}
