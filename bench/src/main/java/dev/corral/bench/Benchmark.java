package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Runs every scenario for bullmq 6.7.0 (Node) and for Corral on the same Redis and prints jobs/s and the
 * ratio. Usage: {@code bench/run.sh [--quick | --scale=N] [--runs=N] [--only=add,process,...]}; {@code REDIS_URL} picks a Redis, else a fresh local one is
 * started. Writes {@code bench/results/latest.md}. With {@code --dag}, runs the DAG scenarios instead
 * ({@link DagBenchmark}); with {@code --workers}, the worker registry's heartbeat cost ({@link WorkerBenchmark});
 * with {@code --http}, the API server's requests/s and latency ({@link HttpBenchmark}).
 */
public final class Benchmark {

  private record Scenario(String name, int n, int concurrency) {}

  /** Warm-up runs per scenario and side (the Node script reads the same number from BENCH_WARMUPS). */
  static final int WARMUPS = 2;

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--dag")) {
      DagBenchmark.run(args);
      return;
    }
    if (List.of(args).contains("--http")) {
      HttpBenchmark.run(args);
      return;
    }
    if (List.of(args).contains("--workers")) {
      WorkerBenchmark.run(args);
      return;
    }
    boolean quick = List.of(args).contains("--quick");
    // --quick divides every job count by 5; --scale=N multiplies them (longer runs for profiling)
    double scale = quick ? 0.2 : List.of(args).stream().filter(a -> a.startsWith("--scale="))
        .mapToDouble(a -> Double.parseDouble(a.substring(8))).findFirst().orElse(1);
    List<Scenario> scenarios = List.of(
        new Scenario("add", (int) (10_000 * scale), 1),
        new Scenario("addConcurrent", (int) (50_000 * scale), 50),
        new Scenario("addBulk", (int) (100_000 * scale), 1),
        new Scenario("process", (int) (10_000 * scale), 1),
        new Scenario("process", (int) (30_000 * scale), 8),
        new Scenario("process", (int) (50_000 * scale), 50),
        new Scenario("latency", (int) (500 * scale), 1),
        new Scenario("latencyRemote", (int) (500 * scale), 1));
    int runs = List.of(args).stream().filter(a -> a.startsWith("--runs=")).mapToInt(a -> Integer.parseInt(a.substring(7)))
        .findFirst().orElse(quick ? 1 : 3);
    String only = List.of(args).stream().filter(a -> a.startsWith("--only=")).map(a -> a.substring(7))
        .findFirst().orElse(null);
    if (only != null) {
      List<String> wanted = List.of(only.split(","));
      scenarios = scenarios.stream().filter(s -> wanted.contains(s.name())).toList();
    }
    Path root = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : ".").toAbsolutePath();
    List<Result[]> rows = new ArrayList<>();
    try (BenchRedis redis = BenchRedis.open(); BrokerClient client = BrokerClient.connect(redis.url())) {
      String redisUrl = redis.url();
      CorralScenarios corral = new CorralScenarios(client, redisUrl);
      NodeScenarios node = new NodeScenarios(root.resolve("bench/node/bench.mjs"), redisUrl);
      for (Scenario s : scenarios) {
        // each side runs the scenario WARMUPS times on throw-away queues before the measured run (JIT
        // warm-up, steady state as in a long-running service; the Node process does the same internally)
        for (int w = 0; w < WARMUPS; w++) {
          corral.run(s.name(), s.n(), s.concurrency(), queue("warm"), true);
        }
        // measured runs alternate between the two sides so that a noisy neighbour on the machine hits both;
        // each side's median run is reported
        List<Result> bs = new ArrayList<>();
        List<Result> cs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          bs.add(node.run(s.name(), s.n(), s.concurrency(), queue("node")));
          cs.add(corral.run(s.name(), s.n(), s.concurrency(), queue("corral")));
        }
        Result b = Result.median(bs);
        Result c = Result.median(cs);
        rows.add(new Result[] {b, c});
        System.out.println(line(b, c));
      }
      client.redisson().getKeys().deleteByPattern(CorralScenarios.PREFIX + ":*");
    }
    String table = table(rows, quick, runs);
    System.out.println();
    System.out.println(table);
    Path out = root.resolve("bench/results/latest.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  private static String queue(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String label(Result r) {
    return switch (r.scenario()) {
      case "add" -> "add one by one";
      case "addConcurrent" -> "concurrent add (" + r.concurrency() + " producers)";
      case "addBulk" -> "addBulk (batches of 1000)";
      case "process" -> "process no-op jobs, concurrency " + r.concurrency();
      case "latencyRemote" -> "enqueue from another process -> processor start, idle worker";
      default -> "enqueue -> processor start, idle worker";
    };
  }

  private static String line(Result b, Result c) {
    if (b.scenario().startsWith("latency")) {
      return String.format(Locale.ROOT, "%-40s bullmq p50 %.2f ms p99 %.2f ms | corral p50 %.2f ms p99 %.2f ms",
          label(b), b.p50(), b.p99(), c.p50(), c.p99());
    }
    String line = String.format(Locale.ROOT, "%-40s bullmq %,9.0f jobs/s | corral %,9.0f jobs/s | ratio %.2f",
        label(b), b.perSecond(), c.perSecond(), c.perSecond() / b.perSecond());
    if (b.redis() != null && c.redis() != null) {
      line += String.format(Locale.ROOT, "%n%-40s redis per job: bullmq %s | corral %s", "", b.redis().perJob(b.n()),
          c.redis().perJob(c.n()));
    }
    return line;
  }

  private static String table(List<Result[]> rows, boolean quick, int runs) {
    StringBuilder sb = new StringBuilder();
    sb.append("Run ").append(Instant.now()).append(quick ? " (--quick)" : "").append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ").append(WARMUPS)
        .append(" warm-up runs per scenario and side, median of ").append(runs)
        .append(" measured runs per side (the two sides alternate)\n\n");
    sb.append("| scenario | n | bullmq 6.7.0 | corral | ratio (corral/bullmq) |\n|---|---|---|---|---|\n");
    for (Result[] r : rows) {
      Result b = r[0];
      Result c = r[1];
      if (b.scenario().startsWith("latency")) {
        sb.append(String.format(Locale.ROOT, "| %s p50 / p99 | %d | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f |%n",
            label(b), b.n(), b.p50(), b.p99(), c.p50(), c.p99(), b.p50() / c.p50(), b.p99() / c.p99()));
      } else {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %,.0f jobs/s | %,.0f jobs/s | %.2f |%n", label(b), b.n(),
            b.perSecond(), c.perSecond(), c.perSecond() / b.perSecond()));
      }
    }
    return sb.toString();
  }
}
