package dev.corral.api.leader;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.dag.DagSweeper;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.workers.ActiveJobInfo;
import dev.corral.broker.workers.DeadWorker;
import dev.corral.broker.workers.StuckEvent;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.StuckReason;
import dev.corral.broker.workers.WorkerJson;
import dev.corral.broker.workers.WorkerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.client.codec.StringCodec;

/**
 * One recovery pass over a prefix, or a dry run of it: the stalled check of every known queue (the very
 * script workers run, {@code moveStalledJobsToWait}, honouring each queue's {@code stalled-check} throttle),
 * the dead-worker sweep of the registry, and the DAG reconciliation sweep. A dry run reads what the pass
 * would change through read-only previews of those scripts ({@code stalledPreview}, {@code dagSweepPreview},
 * the registry's deadlines) and changes nothing, so it lists the moves a real pass run right after it would
 * make (unless workers or jobs move in between).
 *
 * <p>Thread-safe.
 */
public final class Recovery {

  /** The workers' default stalled interval (BullMQ's and the SDK's, 30 s). */
  public static final Duration STALLED_INTERVAL = Duration.ofSeconds(30);

  /** The workers' default max stalled count (1). */
  public static final int MAX_STALLED_COUNT = 1;

  /** Most dead workers one sweep removes (the registry's batch). */
  static final int SWEEP_BATCH = 100;

  /** Most DAG nodes one dry run lists. */
  static final int DAG_PREVIEW_LIMIT = 10_000;

  private static final String STALLED_LIMIT = "job stalled more than allowable limit";

  private final BrokerClient broker;
  private final String prefix;
  private final WorkerRegistry registry;
  private final StuckHistory history;
  private final DagKeys dagKeys;
  private final DagSweeper sweeper;
  private final String instanceId;
  private final Duration stalledInterval;

  /** Recovery under {@code prefix} with the workers' default stalled interval ({@link #STALLED_INTERVAL}). */
  public Recovery(BrokerClient broker, String prefix, WorkerRegistry registry, String instanceId) {
    this(broker, prefix, registry, instanceId, STALLED_INTERVAL);
  }

  /**
   * Recovery of the queues, DAGs and worker registry under {@code prefix}, run by {@code instanceId}; the
   * stalled check throttles each queue for {@code stalledInterval} (its {@code stalled-check} key), as a worker
   * with that interval does.
   */
  public Recovery(BrokerClient broker, String prefix, WorkerRegistry registry, String instanceId,
      Duration stalledInterval) {
    this.stalledInterval = stalledInterval;
    this.broker = broker;
    this.prefix = prefix;
    this.registry = registry;
    this.history = new StuckHistory(broker, registry);
    this.dagKeys = new DagKeys(prefix);
    this.sweeper = new DagSweeper(broker, dagKeys);
    this.instanceId = instanceId;
  }

  /** Runs one pass now ({@code dryRun}: only reports what it would do). */
  public RecoveryReport run(boolean dryRun) {
    long t0 = System.nanoTime();
    List<String> queues = KnownQueues.list(broker, prefix);
    List<String> throttled = new ArrayList<>();
    List<RecoveryMove> moves = new ArrayList<>();
    for (String queue : queues) {
      moves.addAll(dryRun ? previewStalled(queue, throttled) : checkStalled(queue, throttled));
    }
    moves.addAll(dryRun ? previewDeadWorkers() : sweepDeadWorkers(false));
    moves.addAll(dryRun ? previewDag() : sweepDag());
    moves.sort(RecoveryMove.ORDER);
    return new RecoveryReport(dryRun, instanceId, queues.size(), throttled, moves,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** The stalled check of every known queue, as the maintenance runs it; returns the jobs moved. */
  public int checkStalledEverywhere() {
    int moved = 0;
    for (String queue : KnownQueues.list(broker, prefix)) {
      moved += checkStalled(queue, new ArrayList<>()).size();
    }
    return moved;
  }

  /** The workers' stalled check of {@code queue}; records the recovered jobs in the stuck history. */
  List<RecoveryMove> checkStalled(String queue, List<String> throttled) {
    QueueKeys keys = new QueueKeys(prefix, queue);
    if (broker.redisson().getBucket(keys.base() + "stalled-check", StringCodec.INSTANCE).isExists()) {
      throttled.add(queue);
      return List.of();
    }
    long checkStartedAt = broker.clock().millis(); // a job taken again after this was not stuck on its taker
    List<String> recovered = new JobLifecycle(broker, keys).recoverStalled(MAX_STALLED_COUNT,
        stalledInterval.toMillis());
    List<RecoveryMove> moves = new ArrayList<>(recovered.size());
    List<StuckEvent> events = new ArrayList<>(recovered.size());
    for (String id : recovered) {
      Map<String, String> f = broker.redisson().<String, String>getMap(keys.base() + id, StringCodec.INSTANCE)
          .getAll(Set.of("name", "dagKey", "defa"));
      moves.add(RecoveryMove.stalled(queue, id, STALLED_LIMIT.equals(f.get("defa"))));
      String dagKey = f.get("dagKey");
      String workflow = dagKey == null ? null
          : broker.redisson().<String, String>getMap(dagKey, StringCodec.INSTANCE).get("workflowId");
      events.add(new StuckEvent(queue, id, f.get("name"), dagKey == null ? null : DagKeys.executionIdOf(dagKey),
          workflow, null, StuckReason.STALLED, "its lock expired while it was active (leader's check)",
          checkStartedAt));
    }
    history.record(events);
    return moves;
  }

  private List<RecoveryMove> previewStalled(String queue, List<String> throttled) {
    List<Object> r = broker.scripts().run(Command.STALLED_PREVIEW, new QueueKeys(prefix, queue).base(),
        String.valueOf(MAX_STALLED_COUNT));
    if ((Long) r.get(0) == 1) {
      throttled.add(queue);
      return List.of();
    }
    List<RecoveryMove> moves = new ArrayList<>();
    for (Object o : r.subList(1, r.size())) {
      List<?> job = (List<?>) o;
      moves.add(RecoveryMove.stalled(queue, String.valueOf(job.get(0)), (Long) job.get(1) == 1));
    }
    return moves;
  }

  /** The registry's dead-worker sweep ({@code throttled}: at most once per sweep throttle, as workers call it). */
  public List<RecoveryMove> sweepDeadWorkers(boolean throttled) {
    List<DeadWorker> dead = throttled ? registry.sweepDead() : registry.sweepDeadNow();
    return dead.stream().map(w -> RecoveryMove.deadWorker(w.workerId(),
        w.jobs().stream().map(ActiveJobInfo::ref).toList())).toList();
  }

  private List<RecoveryMove> previewDeadWorkers() {
    Collection<String> dead = broker.redisson().<String>getScoredSortedSet(registry.keys().deadlines(),
        StringCodec.INSTANCE).valueRange(Double.NEGATIVE_INFINITY, true, broker.clock().millis(), true, 0,
        SWEEP_BATCH);
    List<RecoveryMove> moves = new ArrayList<>();
    for (String id : dead) {
      List<String> jobs = broker.redisson().<String, String>getMap(registry.keys().jobs(id), StringCodec.INSTANCE)
          .readAllValues().stream().map(json -> WorkerJson.read(json, ActiveJobInfo.class).ref()).toList();
      moves.add(RecoveryMove.deadWorker(id, jobs));
    }
    return moves;
  }

  /** A node the DAG sweep would finish: {execId, nodeId, queue base key, jobId, outcome}. */
  private record Candidate(String execId, String nodeId, String queueBase, String jobId, String outcome) {
    String queue() {
      String base = queueBase.substring(0, queueBase.length() - 1);
      return base.substring(base.lastIndexOf(':') + 1);
    }
  }

  private List<Candidate> dagCandidates() {
    List<Object> r = broker.scripts().run(Command.DAG_SWEEP_PREVIEW, dagKeys.base(),
        String.valueOf(DAG_PREVIEW_LIMIT));
    List<Candidate> out = new ArrayList<>(r.size());
    for (Object o : r) {
      List<?> c = (List<?>) o;
      out.add(new Candidate(String.valueOf(c.get(0)), String.valueOf(c.get(1)), String.valueOf(c.get(2)),
          String.valueOf(c.get(3)), String.valueOf(c.get(4))));
    }
    return out;
  }

  private List<RecoveryMove> previewDag() {
    return dagCandidates().stream()
        .map(c -> RecoveryMove.dagNode(c.queue(), c.jobId(), c.execId(), c.nodeId(), c.outcome())).toList();
  }

  /** Runs the DAG sweep; the moves are the candidates whose node state changed (read after the sweep). */
  private List<RecoveryMove> sweepDag() {
    List<Candidate> before = dagCandidates();
    sweeper.sweep();
    List<RecoveryMove> moves = new ArrayList<>();
    for (Candidate c : before) {
      Object now = broker.redisson().getMap(dagKeys.state(c.execId()), StringCodec.INSTANCE).get(c.nodeId());
      if (now != null && !"released".equals(now)) {
        moves.add(RecoveryMove.dagNode(c.queue(), c.jobId(), c.execId(), c.nodeId(), String.valueOf(now)));
      }
    }
    return moves;
  }
}
