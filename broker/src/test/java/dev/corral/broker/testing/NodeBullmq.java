package dev.corral.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the real Node {@code bullmq} (pinned in {@code interop/node/package.json}) through
 * {@code interop/node/bullmq-cli.mjs}, against the test Redis ({@link RedisTestSupport#redisUrl()}).
 *
 * <p>Never skips: when {@code node} or the npm packages are missing it throws, naming the fix (run
 * {@code npm ci} in {@code interop/node}, or build without {@code -DskipNpm}). Thread-safe.
 */
public final class NodeBullmq {

  /** The bullmq version the interop tests pin. */
  public static final String BULLMQ_VERSION = "6.7.0";

  private static final Duration ONE_SHOT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static NodeBullmq instance;

  private final Path dir;
  private final String redisUrl;

  private NodeBullmq(Path dir, String redisUrl) {
    this.dir = dir;
    this.redisUrl = redisUrl;
  }

  /**
   * The harness, checked once per JVM.
   *
   * @throws IllegalStateException when node, the CLI or the pinned packages are missing
   */
  public static NodeBullmq get() {
    LOCK.lock();
    try {
      if (instance == null) {
        Path dir = locate();
        verify(dir);
        instance = new NodeBullmq(dir, RedisTestSupport.redisUrl());
      }
      return instance;
    } finally {
      LOCK.unlock();
    }
  }

  private static Path locate() {
    String configured = System.getProperty("corral.interop.node.dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("interop").resolve("node");
      if (Files.isRegularFile(candidate.resolve("bullmq-cli.mjs"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("interop/node/bullmq-cli.mjs not found above " + Path.of("").toAbsolutePath()
        + "; set -Dcorral.interop.node.dir");
  }

  private static void verify(Path dir) {
    String fix = " Run `npm ci` in " + dir + " (the broker build does it unless -DskipNpm is given).";
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0 || !version.startsWith("v")) {
        throw new IllegalStateException("`node --version` failed: " + version);
      }
    } catch (IOException e) {
      throw new IllegalStateException("node is not on the PATH; the interop tests need Node.js 20+", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking node", e);
    }
    Path bullmq = dir.resolve("node_modules/bullmq/package.json");
    Path ioredis = dir.resolve("node_modules/ioredis/package.json");
    if (!Files.isRegularFile(bullmq) || !Files.isRegularFile(ioredis)) {
      throw new IllegalStateException("bullmq/ioredis are not installed in " + dir + "." + fix);
    }
    try {
      String installed = Json.MAPPER.readTree(bullmq.toFile()).path("version").asText();
      if (!BULLMQ_VERSION.equals(installed)) {
        throw new IllegalStateException("bullmq " + installed + " is installed, the tests pin " + BULLMQ_VERSION
            + "." + fix);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + bullmq + "." + fix, e);
    }
  }

  private ProcessBuilder command(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("node", dir.resolve("bullmq-cli.mjs").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("REDIS_URL", redisUrl);
    return pb;
  }

  private static List<String> toArgs(Object... args) {
    List<String> out = new ArrayList<>(args.length);
    for (Object a : args) {
      out.add(a instanceof String s ? s : Json.write(a, "argument", "null"));
    }
    return out;
  }

  /**
   * Starts a long-running command ({@code work}, {@code events}); arguments that are not strings are passed as
   * JSON.
   */
  public NodeProcess start(Object... args) {
    List<String> list = toArgs(args);
    try {
      return new NodeProcess(command(list).start(), "bullmq-cli " + String.join(" ", list));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a one-shot command and returns its JSON line.
   *
   * @throws IllegalStateException when it fails, prints an error or takes longer than 60 s
   */
  public JsonNode run(Object... args) {
    try (NodeProcess p = start(args)) {
      int code = p.awaitExit(ONE_SHOT_TIMEOUT);
      List<JsonNode> lines = p.lines();
      JsonNode last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
      if (code != 0 || last == null || "error".equals(last.path("type").asText())) {
        throw new IllegalStateException("bullmq-cli " + toArgs(args) + " exited " + code + ": " + lines
            + "\nstderr:\n" + p.stderr());
      }
      return last;
    }
  }

  /** {@code queue.add(name, data, opts)} in Node; returns the job id. */
  public String add(String queue, String name, Object data, Object opts) {
    return run("add", queue, name, data == null ? Map.of() : data, opts == null ? Map.of() : opts)
        .get("id").asText();
  }

  /** Runs steps ({@code {op:add|pause|resume|updateProgress, ...}}) in one Node process; returns the results. */
  public JsonNode runSteps(String queue, Object steps) {
    return run("run", queue, steps).get("results");
  }

  /** Node's {@code FlowProducer.add(flow)}; returns the id tree {@code {queueName, id, children}}. */
  public JsonNode flow(Object flow) {
    return run("flow", "-", flow).get("tree");
  }

  /**
   * Node's reads of a flow parent: {@code values} (getChildrenValues), {@code ignored}
   * (getIgnoredChildrenFailures), {@code dependencies} (getDependencies) and {@code counts}
   * (getDependenciesCount).
   */
  public JsonNode dependencies(String queue, String parentId) {
    return run("dependencies", queue, parentId);
  }

  /** Node's view of a job ({@code jobView} in lib/io.mjs), or a JSON null when missing. */
  public JsonNode getJob(String queue, String id) {
    return run("getJob", queue, id).get("job");
  }

  /** Node's {@code queue.getJobState(id)}. */
  public String getState(String queue, String id) {
    return run("getState", queue, id).get("state").asText();
  }

  /** Node's {@code queue.getJobCounts(...states)} (its default states when none are given). */
  public Map<String, Long> counts(String queue, String... states) {
    List<Object> args = new ArrayList<>(List.of("counts", queue));
    args.addAll(List.of(states));
    Map<String, Long> counts = new LinkedHashMap<>();
    run(args.toArray()).get("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  /** Node's {@code queue.pause()}. */
  public void pause(String queue) {
    run("pause", queue);
  }

  /** Node's {@code queue.resume()}. */
  public void resume(String queue) {
    run("resume", queue);
  }

  /** Node's {@code queue.isPaused()}. */
  public boolean isPaused(String queue) {
    return run("isPaused", queue).get("paused").asBoolean();
  }

  /** Node's {@code queue.getWorkers()}. */
  public JsonNode getWorkers(String queue) {
    return run("getWorkers", queue).get("workers");
  }

  /** Node's {@code queue.getMetrics(type, start, end)}: {@code {meta: {count, prevTS, prevCount}, data, count}}. */
  public JsonNode getMetrics(String queue, String type, long start, long end) {
    return run("getMetrics", queue, type, String.valueOf(start), String.valueOf(end)).get("metrics");
  }

  /** Starts a Node QueueEvents printing up to {@code count} events; returns once it is ready. */
  public NodeProcess events(String queue, int count, Duration timeout) {
    NodeProcess p = start("events", queue, String.valueOf(count), String.valueOf(timeout.toMillis()));
    return ready(p);
  }

  /** Starts a Node Worker with {@code behaviour} (see lib/work.mjs); returns once it is ready. */
  public NodeProcess work(String queue, Object behaviour) {
    return ready(start("work", queue, behaviour));
  }

  private static NodeProcess ready(NodeProcess p) {
    try {
      p.awaitType("ready", READY_TIMEOUT);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }
}
