package dev.corral.broker.workers;

import java.util.List;

/**
 * A worker the sweep removed because it stopped heartbeating.
 *
 * @param workerId its id
 * @param jobs the jobs it reported in its last heartbeat (recorded as {@code dead-worker} in the stuck
 *     history; the queues' stalled check recovers them once their locks expire)
 */
public record DeadWorker(String workerId, List<ActiveJobInfo> jobs) {

  /** Copies the list. */
  public DeadWorker {
    jobs = List.copyOf(jobs);
  }
}
