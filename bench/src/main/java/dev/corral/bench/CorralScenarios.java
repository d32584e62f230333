package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobRequest;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerListener;
import dev.corral.sdk.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Corral's side of each scenario, in this JVM, mirroring {@code bench/node/bench.mjs} step for step. */
final class CorralScenarios {

  static final String PREFIX = "bench";

  /** Adds the producer process of {@code latencyRemote} makes to a scratch queue first (JIT warm-up). */
  static final int REMOTE_WARM_UP_ADDS = 10_000;
  /**
   * Jobs of a warm-up run of either latency scenario, added {@link #LATENCY_WARM_UP_GAP_MS} apart so that the
   * worker is idle (blocked on the marker) at each add: the idle path's methods are called once per job and
   * HotSpot keeps compiling them for about 3 000 such jobs; measured before that, p99 shows the compiler
   * threads taking the two vCPUs (3-7 ms outliers), not the worker.
   */
  static final int LATENCY_WARM_UP_SAMPLES = 5_000;
  /** Gap between the jobs of a latency warm-up run. */
  static final int LATENCY_WARM_UP_GAP_MS = 1;

  private final BrokerClient client;
  private final String redisUrl;

  CorralScenarios(BrokerClient client, String redisUrl) {
    this.client = client;
    this.redisUrl = redisUrl;
  }

  Result run(String scenario, int n, int concurrency, String queueName) throws Exception {
    return run(scenario, n, concurrency, queueName, false);
  }

  /**
   * Runs one scenario; a warm-up run of a latency scenario adds its jobs closer together and more of them
   * ({@link #LATENCY_WARM_UP_SAMPLES}, {@link #LATENCY_WARM_UP_GAP_MS} apart) so that the idle-worker path is compiled
   * as in a long-running service. bench.mjs warms up the same way.
   */
  Result run(String scenario, int n, int concurrency, String queueName, boolean warmUp) throws Exception {
    Queue queue = client.queue(queueName, QueueOptions.defaults().withPrefix(PREFIX));
    return switch (scenario) {
      case "add" -> timed(scenario, n, 1, () -> {
        for (int i = 0; i < n; i++) {
          queue.add("bench", Map.of("i", i));
        }
      });
      case "addConcurrent" -> timed(scenario, n, concurrency, () -> addConcurrently(queue, n, concurrency));
      case "addBulk" -> timed(scenario, n, 1, () -> prefill(queue, n));
      case "process" -> process(queue, n, concurrency);
      case "latency" -> warmUp ? latency(queue, LATENCY_WARM_UP_SAMPLES, LATENCY_WARM_UP_GAP_MS)
          : latency(queue, n, 5);
      case "latencyRemote" -> warmUp ? latencyRemote(queue, LATENCY_WARM_UP_SAMPLES, LATENCY_WARM_UP_GAP_MS)
          : latencyRemote(queue, n, 5);
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Result timed(String scenario, int n, int concurrency, Body body) throws Exception {
    long t0 = System.nanoTime();
    body.run();
    return new Result("corral", scenario, n, concurrency, (System.nanoTime() - t0) / 1e6, 0, 0);
  }

  private static void addConcurrently(Queue queue, int n, int producers) throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < producers; w++) {
        int start = w;
        futures.add(threads.submit(() -> {
          for (int i = start; i < n; i += producers) {
            queue.add("bench", Map.of("i", i));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  static void prefill(Queue queue, int n) {
    for (int i = 0; i < n; i += 1000) {
      List<JobRequest> batch = new ArrayList<>(1000);
      for (int j = i; j < Math.min(n, i + 1000); j++) {
        batch.add(JobRequest.of("bench", Map.of("i", j)));
      }
      queue.addBulk(batch);
    }
  }

  private Result process(Queue queue, int n, int concurrency) throws Exception {
    prefill(queue, n);
    CountDownLatch done = new CountDownLatch(n);
    RedisCost before = RedisCost.read(client);
    long t0 = System.nanoTime();
    Worker<Object> worker = Worker.create(client, queue.name(), ctx -> null,
        WorkerOptions.builder().prefix(PREFIX).concurrency(concurrency).autorun(false).build());
    worker.addListener(new WorkerListener() {
      @Override
      public void completed(dev.corral.broker.Job job, Object result) {
        done.countDown();
      }
    });
    worker.start(); // after the listener: no completion goes uncounted
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("processing did not finish: " + done.getCount() + " left");
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    RedisCost cost = RedisCost.read(client).since(before);
    worker.close();
    return new Result("corral", "process", n, concurrency, ms, 0, 0, cost);
  }

  private Result latency(Queue queue, int samples, int gapMs) throws Exception {
    SynchronousQueue<Long> started = new SynchronousQueue<>();
    Worker<Object> worker = Worker.create(client, queue.name(), ctx -> {
      started.put(System.nanoTime());
      return null;
    }, WorkerOptions.builder().prefix(PREFIX).concurrency(1).build());
    Thread.sleep(300);
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      queue.add("bench", Map.of("i", i));
      Long t1 = started.poll(10, TimeUnit.SECONDS);
      if (t1 == null) {
        throw new IllegalStateException("job " + i + " did not start within 10 s");
      }
      ms[i] = (t1 - t0) / 1e6;
      Thread.sleep(gapMs);
    }
    worker.close();
    return latencyResult("latency", ms);
  }

  /**
   * Enqueue from another process: a {@link LatencyProducer} JVM adds the jobs with their add time; this JVM's
   * idle worker takes the difference to its processor start (one monotonic clock for both processes).
   */
  private Result latencyRemote(Queue queue, int samples, int gapMs) throws Exception {
    double[] ms = new double[samples];
    AtomicInteger seen = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    Worker<Object> worker = Worker.create(client, queue.name(), ctx -> {
      long t1 = System.nanoTime();
      int i = seen.getAndIncrement();
      if (i < samples) {
        ms[i] = (t1 - Long.parseLong(ctx.job().data().get("t0").asText())) / 1e6;
      }
      if (i == samples - 1) {
        done.countDown();
      }
      return null;
    }, WorkerOptions.builder().prefix(PREFIX).concurrency(1).build());
    Path log = Files.createTempFile("corral-latency-producer", ".log");
    Process producer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseParallelGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        LatencyProducer.class.getName(), redisUrl, queue.name(),
        String.valueOf(REMOTE_WARM_UP_ADDS), String.valueOf(samples), String.valueOf(gapMs))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + seen.get() + " of " + samples + " jobs started; producer log "
            + log + ":\n" + Files.readString(log));
      }
      if (!producer.waitFor(1, TimeUnit.MINUTES) || producer.exitValue() != 0) {
        throw new IllegalStateException("the latency producer failed; log " + log + ":\n" + Files.readString(log));
      }
    } finally {
      producer.destroy();
      worker.close();
      Files.deleteIfExists(log);
    }
    return latencyResult("latencyRemote", ms);
  }

  /** p50 / p99 of a latency scenario's samples (ms), as bench.mjs computes them. */
  private static Result latencyResult(String scenario, double[] ms) {
    Arrays.sort(ms);
    return new Result("corral", scenario, ms.length, 1, 0, percentile(ms, 0.5), percentile(ms, 0.99));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }
}
