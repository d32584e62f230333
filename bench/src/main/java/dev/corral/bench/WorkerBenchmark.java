package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.workers.ActiveJobInfo;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.RegistrySettings;
import dev.corral.broker.workers.RunningExecution;
import dev.corral.broker.workers.WorkerInfo;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerRunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Heartbeat cost of the worker registry: N registered workers (200 by default) heartbeating at their interval
 * (5 s) with a realistic payload (8 slots, 4 busy jobs each, the dead-worker sweep attempted at every
 * heartbeat as the SDK does), measured on Redis (commands/s, Redis CPU) and on the client (heartbeat latency),
 * plus the latency of listing every worker and the cost of one heartbeat at full speed. The workers are
 * simulated with {@link WorkerRegistry} calls (the exact calls a Worker's heartbeat loop makes), so the
 * numbers are the registry's alone. Usage: {@code bench/run.sh --workers [--count=N] [--seconds=S]
 * [--interval-ms=MS]}; writes {@code bench/results/workers-latest.md}.
 */
final class WorkerBenchmark {

  private WorkerBenchmark() {}

  static void run(String[] args) throws Exception {
    int count = intArg(args, "--count=", 200);
    int seconds = intArg(args, "--seconds=", 30);
    long intervalMs = intArg(args, "--interval-ms=", 5000);
    Path root = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : ".").toAbsolutePath();
    try (BenchRedis redis = BenchRedis.open(); BrokerClient client = BrokerClient.connect(redis.url())) {
      String prefix = "wbench-" + UUID.randomUUID().toString().substring(0, 6);
      WorkerRegistry registry = new WorkerRegistry(client, prefix, RegistrySettings.defaults());
      List<WorkerRegistration> regs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        WorkerRegistration reg = new WorkerRegistration("bench-" + i, "host-" + (i % 20), 1000 + i,
            System.currentTimeMillis(), "corral:bench", List.of("q" + (i % 10)), List.of("cpu"),
            Map.of("zone", "z" + (i % 3)), 8, 0, 0, Map.of(), intervalMs, 6);
        registry.register(reg);
        regs.add(reg);
      }
      AtomicLong seq = new AtomicLong();
      // warm-up: one heartbeat each
      for (WorkerRegistration reg : regs) {
        registry.heartbeat(reg, payload(reg, seq.incrementAndGet()));
      }

      // steady state: every worker at its interval, staggered, on virtual threads (as 200 JVMs would)
      Stats before = Stats.read(client);
      List<Long> beatNanos = java.util.Collections.synchronizedList(new ArrayList<>());
      ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
      var vthreads = Executors.newVirtualThreadPerTaskExecutor();
      for (int i = 0; i < count; i++) {
        WorkerRegistration reg = regs.get(i);
        long offset = intervalMs * i / count;
        timer.scheduleAtFixedRate(() -> vthreads.execute(() -> {
          long t = System.nanoTime();
          registry.heartbeat(reg, payload(reg, seq.incrementAndGet()));
          registry.sweepDead();
          beatNanos.add(System.nanoTime() - t);
        }), offset, intervalMs, TimeUnit.MILLISECONDS);
      }
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      timer.shutdownNow();
      vthreads.shutdown();
      vthreads.awaitTermination(10, TimeUnit.SECONDS);
      double elapsed = (System.nanoTime() - start) / 1e9;
      Stats after = Stats.read(client);

      // listing latency, 200 workers with their latest heartbeats
      long[] list = new long[200];
      for (int i = 0; i < list.length; i++) {
        long t = System.nanoTime();
        int n = registry.list().size();
        list[i] = System.nanoTime() - t;
        if (n != count) {
          throw new IllegalStateException("listed " + n + " workers, expected " + count);
        }
      }
      // one heartbeat at full speed: the Redis CPU it costs
      Stats burstBefore = Stats.read(client);
      int burst = 20_000;
      long bt = System.nanoTime();
      for (int i = 0; i < burst; i++) {
        WorkerRegistration reg = regs.get(i % count);
        registry.heartbeat(reg, payload(reg, seq.incrementAndGet()));
      }
      double burstSec = (System.nanoTime() - bt) / 1e9;
      Stats burstAfter = Stats.read(client);
      for (WorkerRegistration reg : regs) {
        registry.deregister(reg.workerId());
      }
      client.redisson().getKeys().deleteByPattern("{" + prefix + ":workers}*");

      long[] beats = beatNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "workers registered: %d, heartbeat interval %d ms, %d s measured",
          count, intervalMs, seconds));
      lines.add(String.format(Locale.ROOT, "heartbeats (+ throttled sweep) sent: %d = %.1f/s (expected %.1f/s)",
          beats.length, beats.length / elapsed, count * 1000.0 / intervalMs));
      lines.add(String.format(Locale.ROOT, "Redis commands/s (total_commands_processed, scripts' inner calls "
          + "included): %.0f", (after.commands - before.commands) / elapsed));
      lines.add(String.format(Locale.ROOT, "Redis calls/s from clients (EVALSHA): %.1f",
          (after.evalsha - before.evalsha) / elapsed));
      lines.add(String.format(Locale.ROOT, "Redis CPU: %.2f %% of one core", 100 * (after.cpu - before.cpu) / elapsed));
      lines.add(String.format(Locale.ROOT, "heartbeat + sweep call latency: p50 %.2f ms, p99 %.2f ms",
          pct(beats, 50), pct(beats, 99)));
      Arrays.sort(list);
      lines.add(String.format(Locale.ROOT, "list all %d workers (registration + last heartbeat each): p50 %.2f ms, "
          + "p99 %.2f ms", count, pct(list, 50), pct(list, 99)));
      lines.add(String.format(Locale.ROOT, "one heartbeat at full speed (sequential, %d calls): %.0f/s, "
          + "Redis CPU %.1f us and %.1f Redis commands per heartbeat", burst, burst / burstSec,
          1e6 * (burstAfter.cpu - burstBefore.cpu) / burst, (double) (burstAfter.commands - burstBefore.commands) / burst));
      String md = "# Worker registry heartbeat cost (" + Instant.now() + ")\n\n" + String.join("\n", lines.stream()
          .map(l -> "- " + l).toList()) + "\n";
      System.out.println(md);
      Path out = root.resolve("bench/results/workers-latest.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, md);
    }
  }

  /** The heartbeat of a worker with 8 slots, 4 of them busy. */
  static Heartbeat payload(WorkerRegistration reg, long seq) {
    long now = System.currentTimeMillis();
    List<ProcessInfo> slots = new ArrayList<>(8);
    List<ActiveJobInfo> jobs = new ArrayList<>(4);
    for (int s = 0; s < 8; s++) {
      RunningExecution exec = null;
      if (s < 4) {
        String jobId = String.valueOf(s + 10 * (seq % 100));
        exec = new RunningExecution(reg.queues().get(0), jobId, null, now - 1000, 1);
        jobs.add(new ActiveJobInfo(reg.queues().get(0), jobId, "render", null, null, now - 1000));
      }
      slots.add(new ProcessInfo(reg.pid(), "slot-" + s, s < 4 ? ProcessState.BUSY : ProcessState.IDLE, 0, 3600,
          seq, exec));
    }
    WorkerInfo info = new WorkerInfo(reg.workerId(), reg.startedAt(), reg.hostname(), 8, 8, 8, 4, 4, slots);
    return new Heartbeat(reg.workerId(), now, seq, WorkerRunState.RUNNING, 0.5, info, jobs, seq * 3, seq / 10, 0);
  }

  private record Stats(long commands, long evalsha, double cpu) {
    static Stats read(BrokerClient client) {
      RedisNode node = client.redisson().getRedisNodes(RedisNodes.SINGLE).getInstance();
      Map<String, String> stats = node.info(RedisNode.InfoSection.STATS);
      Map<String, String> cpu = node.info(RedisNode.InfoSection.CPU);
      Map<String, String> cmds = node.info(RedisNode.InfoSection.COMMANDSTATS);
      String eval = cmds.getOrDefault("cmdstat_evalsha", "calls=0,");
      long evalsha = Long.parseLong(eval.substring(eval.indexOf("calls=") + 6, eval.indexOf(',')));
      return new Stats(Long.parseLong(stats.get("total_commands_processed")), evalsha,
          Double.parseDouble(cpu.get("used_cpu_sys")) + Double.parseDouble(cpu.get("used_cpu_user")));
    }
  }

  private static double pct(long[] sortedNanos, int p) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  private static int intArg(String[] args, String name, int def) {
    return Arrays.stream(args).filter(a -> a.startsWith(name)).mapToInt(a -> Integer.parseInt(a.substring(name.length())))
        .findFirst().orElse(def);
  }
}
