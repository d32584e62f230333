package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.DagValidator;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.redisson.client.codec.StringCodec;

/**
 * Corral's side of the DAG scenarios ({@link DagBenchmark}): validation and submission of large DAGs, and
 * DAGs processed end to end by a no-op {@link Worker}. Times are wall times in this JVM.
 */
final class DagScenarios {

  private static final DagLimits LIMITS = new DagLimits(100_000, DagLimits.DEFAULT_MAX_DATA_BYTES);

  private final BrokerClient client;
  private final DagExecutions dags;

  DagScenarios(BrokerClient client) {
    this.client = client;
    this.dags = DagExecutions.create(client, CorralScenarios.PREFIX, LIMITS);
  }

  /**
   * Runs one scenario on a fresh queue.
   *
   * @param n nodes (for {@code layered*} and {@code dagValidate}/{@code dagSubmit}: layers of 100)
   */
  Result run(String scenario, int n, int concurrency, String queue) throws Exception {
    String execId = "x" + UUID.randomUUID();
    return switch (scenario) {
      case "dagValidate" -> {
        DagSpec spec = DagShapes.layered(execId, queue, Math.max(1, n / 100), 100, 3);
        long t0 = System.nanoTime();
        new DagValidator(LIMITS).validate(spec);
        yield result(scenario, n, 1, t0);
      }
      case "dagSubmit" -> {
        DagSpec spec = DagShapes.layered(execId, queue, Math.max(1, n / 100), 100, 3);
        long t0 = System.nanoTime();
        dags.submit(spec);
        yield result(scenario, n, 1, t0);
      }
      case "flowAdd" -> {
        DagSpec spec = DagShapes.tree(execId, queue, n);
        long t0 = System.nanoTime();
        dags.submit(spec);
        yield result(scenario, n, 1, t0);
      }
      case "flowProcess" -> processed(scenario, DagShapes.tree(execId, queue, n), n, concurrency, queue);
      case "layeredProcess" -> processed(scenario,
          DagShapes.layered(execId, queue, Math.max(1, n / 100), 100, 3), n, concurrency, queue);
      case "chain" -> processed(scenario, DagShapes.chain(execId, queue, n), n, concurrency, queue);
      default -> throw new IllegalArgumentException("unknown DAG scenario " + scenario);
    };
  }

  /** Submits the DAG, starts a no-op worker and waits until the execution has completed. */
  private Result processed(String scenario, DagSpec spec, int n, int concurrency, String queue) throws Exception {
    long t0 = System.nanoTime();
    dags.submit(spec);
    try (Worker<Object> worker = Worker.create(client, queue, ctx -> null,
        WorkerOptions.builder().prefix(CorralScenarios.PREFIX).concurrency(concurrency).build())) {
      awaitCompleted(spec.executionId());
      return result(scenario, n, concurrency, t0);
    }
  }

  /** Reads the record's status every 2 ms (one HGET; the benchmark's own cost, not the worker's). */
  private void awaitCompleted(String execId) throws InterruptedException {
    String key = dags.keys().execution(execId);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      String status = client.redisson().<String, String>getMap(key, StringCodec.INSTANCE).get("status");
      if ("completed".equals(status)) {
        return;
      }
      if (status != null && !"running".equals(status)) {
        throw new IllegalStateException("execution " + execId + " ended " + status);
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("execution " + execId + " did not complete within 10 minutes");
  }

  private static Result result(String scenario, int n, int concurrency, long t0) {
    return new Result("corral", scenario, n, concurrency, (System.nanoTime() - t0) / 1e6, 0, 0);
  }
}
