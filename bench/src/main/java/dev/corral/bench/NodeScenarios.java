package dev.corral.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** BullMQ's side of each scenario: one {@code node bench/node/bench.mjs} process per run. */
final class NodeScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path script;
  private final String redisUrl;

  NodeScenarios(Path script, String redisUrl) {
    this.script = script;
    this.redisUrl = redisUrl;
  }

  Result run(String scenario, int n, int concurrency, String queueName) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), scenario, String.valueOf(n),
        queueName, String.valueOf(concurrency)));
    pb.environment().put("REDIS_URL", redisUrl);
    pb.environment().put("BENCH_WARMUPS", String.valueOf(Benchmark.WARMUPS));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("node bench " + scenario + " failed: " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    JsonNode r = JSON.readTree(last);
    RedisCost cost = r.has("redisCpuMs") ? new RedisCost(r.path("redisCpuMs").asDouble(),
        r.path("redisSysMs").asDouble(), r.path("redisCommands").asLong(),
        r.path("clientCpuMs").asDouble()) : null;
    return new Result("bullmq", scenario, n, concurrency, r.path("ms").asDouble(), r.path("p50").asDouble(),
        r.path("p99").asDouble(), cost);
  }
}
