package dev.corral.sdk.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.dag.DagNodeStatus;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.Processor;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerListener;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: a {@link DagClient} under a fresh prefix and real {@link Worker}s on its node queues, whose
 * processor dispatches on the node id ({@code dagNode} in the job hash) to per-node behaviour. Records the
 * order nodes ran in, how often each ran, and the errors workers reported.
 */
final class DagWorkers implements AutoCloseable {

  /** What a node does: return a value or throw. */
  interface NodeBehaviour {
    Object run(JobContext ctx) throws Exception;
  }

  final BrokerClient client;
  final RedisProbe probe;
  final String prefix = "dagw-" + UUID.randomUUID().toString().substring(0, 8);
  final DagClient dags;
  final List<String> ranInOrder = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  final List<Throwable> workerErrors = new CopyOnWriteArrayList<>();
  private final Map<String, NodeBehaviour> behaviours = new ConcurrentHashMap<>();
  private final List<Worker<?>> workers = new CopyOnWriteArrayList<>();

  DagWorkers(BrokerClient client) {
    this(client, DagClient.DEFAULT_STATUS_CHECK_INTERVAL);
  }

  DagWorkers(BrokerClient client, Duration statusCheckInterval) {
    this.client = client;
    this.probe = new RedisProbe(client);
    this.dags = DagClient.create(client, prefix, DagLimits.defaults(), statusCheckInterval);
  }

  /** Node {@code nodeId} does {@code behaviour}; nodes without one return {@code "<node>-out"}. */
  DagWorkers on(String nodeId, NodeBehaviour behaviour) {
    behaviours.put(nodeId, behaviour);
    return this;
  }

  /** Worker options under this fixture's prefix. */
  WorkerOptions.Builder options() {
    return WorkerOptions.builder().prefix(prefix);
  }

  /** Starts a worker on {@code queue} with default options (concurrency {@code concurrency}). */
  Worker<Object> worker(String queue, int concurrency) {
    return worker(queue, options().concurrency(concurrency));
  }

  /** Starts a worker on {@code queue}; its listener records worker errors. */
  Worker<Object> worker(String queue, WorkerOptions.Builder options) {
    return worker(queue, options, new WorkerListener() {});
  }

  /** Starts a worker on {@code queue} with an extra listener (added before it starts). */
  Worker<Object> worker(String queue, WorkerOptions.Builder options, WorkerListener extra) {
    Worker<Object> w = Worker.create(client, queue, processor(), options.autorun(false).build());
    w.addListener(new WorkerListener() {
      @Override
      public void error(Throwable error) {
        workerErrors.add(error);
      }
    });
    w.addListener(extra);
    workers.add(w);
    w.start();
    return w;
  }

  /** The processor every worker runs: records the run, then the node's behaviour. */
  Processor<Object> processor() {
    return ctx -> {
      String node = ctx.job().raw().get("dagNode");
      ranInOrder.add(node);
      runs.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
      NodeBehaviour b = behaviours.get(node);
      return b == null ? node + "-out" : b.run(ctx);
    };
  }

  /** How many times node {@code node}'s processor started. */
  int runs(String node) {
    AtomicInteger n = runs.get(node);
    return n == null ? 0 : n.get();
  }

  /** A node queue under this prefix. */
  Queue queue(String name) {
    return client.queue(name, QueueOptions.defaults().withPrefix(prefix));
  }

  /** The job of node {@code node} of {@code execId}, if it still exists. */
  Optional<Job> job(DagExecution ex, String node) {
    DagNodeStatus n = ex.node(node);
    return queue(n.queue()).getJob(n.jobId());
  }

  /** The DAG stream's events of one type for one execution. */
  List<Map<String, String>> dagEvents(String type, String execId) {
    return probe.stream(dags.executions().keys().stream()).stream()
        .filter(e -> type.equals(e.get("event")) && execId.equals(e.get("execId"))).toList();
  }

  @Override
  public void close() {
    workers.forEach(w -> w.close(Duration.ofSeconds(5)));
    dags.close();
  }
}
