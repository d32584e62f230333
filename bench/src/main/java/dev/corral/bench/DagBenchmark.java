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
 * The DAG benchmark: validation and submission of a 10 000-node layered DAG, dependency-release overhead per
 * node (a DAG processed by a no-op worker against the same number of plain jobs), and a two-level tree stored
 * and processed as a Corral DAG and as a bullmq 6.7.0 flow on the same Redis. Usage: {@code bench/run.sh --dag
 * [--quick] [--runs=N]}; writes {@code bench/results/dag-latest.md}.
 */
final class DagBenchmark {

  private DagBenchmark() {}

  /** Runs the DAG scenarios; {@code args} as {@link Benchmark#main}'s. */
  static void run(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    int runs = List.of(args).stream().filter(a -> a.startsWith("--runs=")).mapToInt(a -> Integer.parseInt(a.substring(7)))
        .findFirst().orElse(quick ? 1 : 3);
    int scale = quick ? 5 : 1;
    Path root = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : ".").toAbsolutePath();
    List<String> lines = new ArrayList<>();
    try (BenchRedis redis = BenchRedis.open(); BrokerClient client = BrokerClient.connect(redis.url())) {
      String redisUrl = redis.url();
      DagScenarios dag = new DagScenarios(client);
      CorralScenarios plain = new CorralScenarios(client, redisUrl);
      NodeScenarios node = new NodeScenarios(root.resolve("bench/node/bench.mjs"), redisUrl);
      Runner corral = (s, n, c) -> dag.run(s, n, c, queue("dag"));

      Result validate = measure(corral, "dagValidate", 10_000, 1, runs);
      lines.add(row("validate a 10 000-node layered DAG (100 x 100, 3 deps each)", validate.n(),
          ms(validate), "-", "-"));
      Result submit = measure(corral, "dagSubmit", 10_000, 1, runs);
      lines.add(row("validate + store it (one atomic submit)", submit.n(), ms(submit), "-", "-"));

      int treeAdd = 10_000 / scale;
      Result flowAdd = measure(corral, "flowAdd", treeAdd, 1, runs);
      Result bullFlowAdd = measureNode(node, "flowAdd", treeAdd, 1, runs);
      lines.add(row("store a 2-level tree (root, ~100 middles, leaves)", treeAdd, ms(flowAdd), ms(bullFlowAdd),
          ratio(bullFlowAdd.ms(), flowAdd.ms())));

      int treeRun = 5_000 / scale;
      Result flowRun = measure(corral, "flowProcess", treeRun, 8, runs);
      Result bullFlowRun = measureNode(node, "flowProcess", treeRun, 8, runs);
      lines.add(row("store + process that tree, no-op worker c=8", treeRun, rate(flowRun), rate(bullFlowRun),
          ratio(bullFlowRun.ms(), flowRun.ms())));

      int layered = 5_000 / scale;
      Result layeredRun = measure(corral, "layeredProcess", layered, 8, runs);
      Result plain8 = measure((s, n, c) -> plain.run(s, n, c, queue("plain")), "process", layered, 8, runs);
      lines.add(row("layered DAG (50 x 100, 3 deps), no-op worker c=8", layered, rate(layeredRun), "-", "-"));
      lines.add(row("  same number of plain jobs, c=8 (reference)", layered, rate(plain8), "-", "-"));
      lines.add(row("  release overhead per node at c=8", layered, perNode(layeredRun, plain8), "-", "-"));

      int chain = 1_000 / scale;
      Result chainRun = measure(corral, "chain", chain, 1, runs);
      Result plain1 = measure((s, n, c) -> plain.run(s, n, c, queue("plain")), "process", chain, 1, runs);
      lines.add(row("chain of nodes (each waits for the one before), c=1", chain,
          String.format(Locale.ROOT, "%.3f ms/node", chainRun.ms() / chain), "-", "-"));
      lines.add(row("  same number of plain jobs, c=1 (reference)", chain,
          String.format(Locale.ROOT, "%.3f ms/job", plain1.ms() / chain), "-", "-"));
      lines.add(row("  release overhead per node at c=1", chain, perNode(chainRun, plain1), "-", "-"));
      client.redisson().getKeys().deleteByPattern(CorralScenarios.PREFIX + ":*");
    }
    StringBuilder table = new StringBuilder();
    table.append("DAG run ").append(Instant.now()).append(quick ? " (--quick)" : "").append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ").append(Benchmark.WARMUPS)
        .append(" warm-up runs per scenario and side, median of ").append(runs).append(" measured runs\n\n")
        .append("| scenario | n | corral | bullmq 6.7.0 | ratio (corral faster when > 1) |\n|---|---|---|---|---|\n");
    lines.forEach(l -> table.append(l).append('\n'));
    System.out.println();
    System.out.println(table);
    Path out = root.resolve("bench/results/dag-latest.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  private interface Runner {
    Result run(String scenario, int n, int concurrency) throws Exception;
  }

  private static Result measure(Runner runner, String scenario, int n, int concurrency, int runs) throws Exception {
    for (int w = 0; w < Benchmark.WARMUPS; w++) {
      runner.run(scenario, n, concurrency);
    }
    List<Result> results = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      results.add(runner.run(scenario, n, concurrency));
    }
    Result median = Result.median(results);
    System.out.printf(Locale.ROOT, "corral %-15s n=%-6d c=%-3d %10.1f ms%n", scenario, n, concurrency, median.ms());
    return median;
  }

  /** The Node script does its own warm-up runs (BENCH_WARMUPS) in each process. */
  private static Result measureNode(NodeScenarios node, String scenario, int n, int concurrency, int runs)
      throws Exception {
    List<Result> results = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      results.add(node.run(scenario, n, concurrency, queue("node")));
    }
    Result median = Result.median(results);
    System.out.printf(Locale.ROOT, "bullmq %-15s n=%-6d c=%-3d %10.1f ms%n", scenario, n, concurrency, median.ms());
    return median;
  }

  private static String queue(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String row(String label, int n, String corral, String bullmq, String ratio) {
    return "| " + label + " | " + n + " | " + corral + " | " + bullmq + " | " + ratio + " |";
  }

  private static String ms(Result r) {
    return String.format(Locale.ROOT, "%,.0f ms", r.ms());
  }

  private static String rate(Result r) {
    return String.format(Locale.ROOT, "%,.0f nodes/s", r.perSecond());
  }

  private static String ratio(double bullmqMs, double corralMs) {
    return String.format(Locale.ROOT, "%.2f", bullmqMs / corralMs);
  }

  /** Extra wall time per node of a DAG over plain jobs processed the same way. */
  private static String perNode(Result dag, Result plain) {
    return String.format(Locale.ROOT, "%.3f ms", (dag.ms() - plain.ms()) / dag.n());
  }
}
