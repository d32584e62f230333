package dev.corral.api.stats;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobState;
import dev.corral.broker.QueueDirectory;
import dev.corral.broker.QueueStats;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.Liveness;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Reads a {@link SystemSnapshot}: the queues of one prefix ({@link QueueDirectory}, then one read-only
 * {@link QueueStats} script per queue), the worker registry's list, the DAG status index sizes and
 * {@code INFO memory}. Writes nothing. Thread-safe.
 */
public final class SnapshotReader {

  /** Most queues one snapshot reads (the first ones by name). */
  public static final int MAX_QUEUES = 10_000;

  private final BrokerClient broker;
  private final String prefix;
  private final WorkerRegistry workers;
  private final DagExecutions executions;

  /** A reader of the queues under {@code prefix}, the registry {@code workers} and {@code executions}. */
  public SnapshotReader(BrokerClient broker, String prefix, WorkerRegistry workers, DagExecutions executions) {
    QueueKeys.validatePrefix(prefix);
    this.broker = broker;
    this.prefix = prefix;
    this.workers = workers;
    this.executions = executions;
  }

  /** The key prefix whose queues are read. */
  public String prefix() {
    return prefix;
  }

  /** The names of the queues under the prefix, sorted. */
  public SortedSet<String> queueNames() {
    return QueueDirectory.queueNames(broker, prefix);
  }

  /** Counts and paused flag of one queue (no name sample, no priorities), without writing anything. */
  public SystemSnapshot.QueueEntry queue(String name) {
    QueueStats stats = QueueStats.read(broker, new QueueKeys(prefix, name), 0, 0);
    return new SystemSnapshot.QueueEntry(name, stats.paused(), stats.defaultCounts(), stats.finishedTotals());
  }

  /** Reads everything. */
  public SystemSnapshot read() {
    SortedSet<String> names = queueNames();
    List<SystemSnapshot.QueueEntry> queues = new ArrayList<>();
    Map<JobState, Long> totals = new LinkedHashMap<>();
    for (JobState s : JobState.defaultCountStates()) {
      totals.put(s, 0L);
    }
    for (String name : names) {
      if (queues.size() >= MAX_QUEUES) {
        break;
      }
      SystemSnapshot.QueueEntry entry = queue(name);
      queues.add(entry);
      entry.counts().forEach((state, n) -> totals.merge(state, n, Long::sum));
    }
    Map<Liveness, Long> byLiveness = new EnumMap<>(Liveness.class);
    for (Liveness l : Liveness.values()) {
      byLiveness.put(l, 0L);
    }
    for (WorkerStatus w : workers.list()) {
      byLiveness.merge(w.liveness(), 1L, Long::sum);
    }
    Map<String, String> memory = broker.redisson().getRedisNodes(RedisNodes.SINGLE).getInstance()
        .info(RedisNode.InfoSection.MEMORY);
    long used = parseLong(memory.get("used_memory"));
    return new SystemSnapshot(queues, names.size(), totals, byLiveness, executions.countByStatus(),
        used, memory.getOrDefault("used_memory_human", ""));
  }

  private static long parseLong(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
