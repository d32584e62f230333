package dev.corral.broker.workers;

import java.util.List;

/**
 * A worker's processing capacity and its processes, as reported in heartbeats. For an in-JVM worker the
 * "processes" are its processing slots (pid = the JVM's pid, processId {@code slot-<n>}), and min = max =
 * pool size = concurrency.
 *
 * @param workerId the worker id
 * @param startedAt when the worker started (ms since the epoch)
 * @param hostname its host
 * @param minWorkers the fewest processes (slots) it keeps
 * @param maxWorkers the most processes (slots) it runs
 * @param poolSize processes (slots) now
 * @param idleCount idle processes (slots)
 * @param busyCount busy processes (slots)
 * @param processes each process (slot)
 */
public record WorkerInfo(String workerId, long startedAt, String hostname, int minWorkers, int maxWorkers,
    int poolSize, int idleCount, int busyCount, List<ProcessInfo> processes) {

  /** Copies the list. */
  public WorkerInfo {
    processes = processes == null ? List.of() : List.copyOf(processes);
  }
}
