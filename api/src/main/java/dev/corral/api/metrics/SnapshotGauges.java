package dev.corral.api.metrics;

import dev.corral.api.stats.SystemSnapshot;
import dev.corral.broker.JobState;
import dev.corral.broker.dag.ExecutionStatus;
import dev.corral.broker.workers.Liveness;

/**
 * Writes the gauges read from Redis at a scrape. BullMQ keeps no counter of finished jobs, only the completed and
 * failed sets (trimmed by {@code removeOnComplete} / {@code removeOnFail}), so their sizes are gauges named
 * {@code corral_queue_completed_jobs} / {@code corral_queue_failed_jobs}, not {@code _total} counters. The one
 * counter is {@code corral_queue_finished_total}, from BullMQ's worker metrics (as BullMQ's own
 * {@code bullmq_job_completed_total}), for queues whose workers collect them. Pure.
 */
final class SnapshotGauges {

  private SnapshotGauges() {}

  /** Writes every gauge of {@code s}. */
  static void write(PrometheusText out, SystemSnapshot s) {
    out.family("corral_queues", "gauge", "Queues discovered under the prefix (SCAN for <prefix>:*:meta and :id).");
    out.sample("corral_queues", s.queueCount());
    out.family("corral_queue_jobs", "gauge", "Jobs in a queue by state.");
    for (SystemSnapshot.QueueEntry q : s.queues()) {
      q.counts().forEach((state, n) -> out.sample("corral_queue_jobs", n, "queue", q.name(), "state",
          state.wireName()));
    }
    out.family("corral_queue_paused", "gauge", "1 when the queue is paused, else 0.");
    s.queues().forEach(q -> out.sample("corral_queue_paused", q.paused() ? 1 : 0, "queue", q.name()));
    finished(out, s, "corral_queue_completed_jobs", JobState.COMPLETED, "completed");
    finished(out, s, "corral_queue_failed_jobs", JobState.FAILED, "failed");
    out.family("corral_queue_finished_total", "counter", "Jobs completed / failed for good as counted by BullMQ's "
        + "worker metrics (metrics:<state> count); only queues whose workers collect metrics.");
    s.queues().forEach(q -> q.finishedTotals().forEach((state, n) -> out.sample("corral_queue_finished_total", n,
        "queue", q.name(), "state", state.wireName())));
    out.family("corral_workers", "gauge", "Workers in the registry by liveness (healthy, unhealthy, dead).");
    for (Liveness l : Liveness.values()) {
      out.sample("corral_workers", s.workers().getOrDefault(l, 0L), "status", l.wireName());
    }
    out.family("corral_executions", "gauge",
        "DAG executions by status (ended ones stay counted until the sweep cleans the expired index entries).");
    for (ExecutionStatus st : ExecutionStatus.values()) {
      out.sample("corral_executions", s.executions().getOrDefault(st, 0L), "status", st.wireName());
    }
    out.family("corral_redis_used_memory_bytes", "gauge", "Redis INFO memory used_memory.");
    out.sample("corral_redis_used_memory_bytes", s.usedMemoryBytes());
  }

  private static void finished(PrometheusText out, SystemSnapshot s, String name, JobState state, String set) {
    out.family(name, "gauge", "Jobs kept in the queue's " + set + " set: a gauge, since removeOn"
        + (state == JobState.COMPLETED ? "Complete" : "Fail") + " trims it (same as corral_queue_jobs{state=\""
        + set + "\"}).");
    s.queues().forEach(q -> out.sample(name, q.counts().getOrDefault(state, 0L), "queue", q.name()));
  }
}
