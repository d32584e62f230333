package dev.corral.api.stats;

import dev.corral.broker.JobState;
import dev.corral.broker.dag.ExecutionStatus;
import dev.corral.broker.workers.Liveness;
import java.util.List;
import java.util.Map;

/**
 * What {@code /api/statistics} and {@code /metrics} report, read from Redis at one moment (not atomically:
 * each queue is one script call).
 *
 * @param queues the discovered queues, sorted by name (at most {@link SnapshotReader#MAX_QUEUES})
 * @param queueCount how many queues were discovered (more than {@code queues} holds when truncated)
 * @param totals jobs per state summed over {@code queues}
 * @param workers registered workers per liveness
 * @param executions DAG executions per status (upper bounds for ended ones, see
 *     {@link dev.corral.broker.dag.DagExecutions#countByStatus()})
 * @param usedMemoryBytes Redis {@code INFO memory} {@code used_memory}
 * @param usedMemoryHuman Redis {@code used_memory_human}
 */
public record SystemSnapshot(List<QueueEntry> queues, int queueCount, Map<JobState, Long> totals,
    Map<Liveness, Long> workers, Map<ExecutionStatus, Long> executions, long usedMemoryBytes,
    String usedMemoryHuman) {

  /**
   * One queue's counts.
   *
   * @param name the queue name
   * @param paused whether it is paused
   * @param counts jobs per state (BullMQ 6's default states)
   * @param finishedTotals jobs completed / failed as counted by BullMQ's worker metrics (only the states that workers
   *     with metrics finished jobs in; see {@link dev.corral.broker.QueueStats#finishedTotals()})
   */
  public record QueueEntry(String name, boolean paused, Map<JobState, Long> counts, Map<JobState, Long> finishedTotals) {}

  /** Whether more queues exist than were read. */
  public boolean queuesTruncated() {
    return queueCount > queues.size();
  }

  /** Workers that are not dead (healthy or unhealthy). */
  public long activeWorkers() {
    return workers.getOrDefault(Liveness.HEALTHY, 0L) + workers.getOrDefault(Liveness.UNHEALTHY, 0L);
  }
}
