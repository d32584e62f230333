package dev.corral.api.stats;

import dev.corral.broker.JobState;
import dev.corral.broker.workers.Liveness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/statistics}.
 *
 * @param totals jobs per state summed over every queue read
 * @param queueCount queues discovered under the prefix
 * @param queues each queue's paused flag and counts, by name
 * @param queuesTruncated true when more than {@value SnapshotReader#MAX_QUEUES} queues exist (only those are read
 *     and summed), else null
 * @param workers registered workers by liveness
 * @param executions DAG executions per status
 * @param redis Redis memory use
 */
public record StatisticsView(Map<String, Long> totals, int queueCount, List<QueueCounts> queues,
    Boolean queuesTruncated, Workers workers, Map<String, Long> executions, Redis redis) {

  /**
   * One queue.
   *
   * @param name the queue name
   * @param paused whether it is paused
   * @param counts jobs per state
   */
  public record QueueCounts(String name, boolean paused, Map<String, Long> counts) {}

  /**
   * Registered workers.
   *
   * @param active healthy plus unhealthy (not yet dead)
   * @param healthy heartbeating on time
   * @param unhealthy missed two heartbeats or more
   * @param dead missed their dead-after count (removed by the next sweep)
   */
  public record Workers(long active, long healthy, long unhealthy, long dead) {}

  /**
   * Redis memory.
   *
   * @param usedMemoryBytes {@code used_memory} of {@code INFO memory}
   * @param usedMemoryHuman {@code used_memory_human}
   */
  public record Redis(long usedMemoryBytes, String usedMemoryHuman) {}

  /** The view of {@code s}. */
  public static StatisticsView of(SystemSnapshot s) {
    List<QueueCounts> queues = s.queues().stream()
        .map(q -> new QueueCounts(q.name(), q.paused(), byWireName(q.counts()))).toList();
    Map<String, Long> executions = new LinkedHashMap<>();
    s.executions().forEach((status, n) -> executions.put(status.wireName(), n));
    Map<Liveness, Long> w = s.workers();
    return new StatisticsView(byWireName(s.totals()), s.queueCount(), queues,
        s.queuesTruncated() ? Boolean.TRUE : null,
        new Workers(s.activeWorkers(), w.get(Liveness.HEALTHY), w.get(Liveness.UNHEALTHY), w.get(Liveness.DEAD)),
        executions, new Redis(s.usedMemoryBytes(), s.usedMemoryHuman()));
  }

  /** Counts keyed by BullMQ's state names. */
  static Map<String, Long> byWireName(Map<JobState, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((state, n) -> out.put(state.wireName(), n));
    return out;
  }
}
