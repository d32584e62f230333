package dev.corral.sdk;

import dev.corral.broker.workers.ProcessInfo;
import java.time.Duration;
import java.util.List;

/**
 * Implemented by a {@link Processor} that runs jobs in child processes (the process pool): the worker's
 * heartbeat reports its processes, and the remote {@code recycle} command acts on them. A worker whose
 * processor does not implement it reports no processes and recycles processing slots instead.
 */
public interface ProcessReporting {

  /** The pool's processes now (idle, busy, or killed and not yet replaced). */
  List<ProcessInfo> processes();

  /** The fewest processes the pool keeps. */
  int minProcesses();

  /** The most processes the pool runs. */
  int maxProcesses();

  /**
   * Replaces process {@code pid}: at once when idle; when busy, after its job ends, or killed at
   * {@code deadline} (its job then fails with a reason naming the recycle).
   *
   * @return false when the pool has no process {@code pid}
   */
  boolean recycle(long pid, Duration deadline, String reason);

  /**
   * Replaces one idle process.
   *
   * @return its pid, or -1 when no process is idle
   */
  long recycleIdle(String reason);
}
