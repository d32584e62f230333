package dev.corral.sdk.pool;

import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.RunningExecution;

/**
 * The pool's record of one process: its phase, counters, a pending recycle and the job it runs. Fields are
 * guarded by the pool's lock, except those a job's thread reads while it runs (volatile).
 */
final class PooledProcess {

  final String processId;
  /** Null while starting. */
  volatile ChildProcess child;
  PoolPolicy.Phase phase = PoolPolicy.Phase.STARTING;
  long startedAtMs;
  long jobsCompleted;
  long memoryMb;
  long idleSinceMs;
  volatile String recycleReason;
  volatile long recycleDeadlineAtMs = Long.MAX_VALUE;
  volatile long recycleDeadlineMs;
  /** Set by whoever kills the process while it runs a job, so the job fails with the real reason. */
  volatile PoolJobException killedFor;
  String queue;
  String jobId;
  String executionId;
  long jobStartedAtMs;

  PooledProcess(String processId) {
    this.processId = processId;
  }

  /** Records the job it runs now (pool lock held). */
  void beginJob(String queue, String jobId, String executionId, long nowMs) {
    this.queue = queue;
    this.jobId = jobId;
    this.executionId = executionId;
    this.jobStartedAtMs = nowMs;
  }

  PoolPolicy.View view() {
    return new PoolPolicy.View(processId, phase, jobsCompleted, memoryMb, idleSinceMs, recycleReason != null);
  }

  /** The heartbeat view, or null while starting (a starting process has no use yet and is not reported). */
  ProcessInfo info(long now) {
    ChildProcess c = child;
    if (c == null || phase == PoolPolicy.Phase.STARTING) {
      return null;
    }
    ProcessState state = switch (phase) {
      case IDLE -> ProcessState.IDLE;
      case BUSY -> ProcessState.BUSY;
      default -> ProcessState.KILLED;
    };
    RunningExecution execution = jobId == null ? null
        : new RunningExecution(queue, jobId, executionId, jobStartedAtMs, Math.max(0, (now - jobStartedAtMs) / 1000));
    return new ProcessInfo(c.pid(), processId, state, memoryMb, Math.max(0, (now - startedAtMs) / 1000),
        jobsCompleted, execution);
  }
}
