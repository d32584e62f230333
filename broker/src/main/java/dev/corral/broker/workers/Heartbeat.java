package dev.corral.broker.workers;

import java.util.List;

/**
 * One heartbeat of a worker: stored as its latest state and published on the heartbeat channel.
 *
 * @param workerId the worker id
 * @param sentAt when it was built (ms since the epoch)
 * @param seq heartbeats sent before this one by this worker (successful or not)
 * @param state what the worker is doing
 * @param load busy slots (processes) / pool size, 0..1
 * @param info capacity and processes
 * @param jobs the jobs being processed
 * @param processed attempts finished since start (completed, failed or retried)
 * @param failed attempts that failed since start
 * @param heartbeatFailures heartbeats that could not reach Redis since start
 */
public record Heartbeat(String workerId, long sentAt, long seq, WorkerRunState state, double load, WorkerInfo info,
    List<ActiveJobInfo> jobs, long processed, long failed, long heartbeatFailures) {

  /** Copies the list. */
  public Heartbeat {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }
}
