package dev.corral.sdk.internal;

import dev.corral.broker.workers.ActiveJobInfo;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.WorkerInfo;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRunState;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds a worker's heartbeat from a snapshot of its state. Pure. */
public final class Heartbeats {

  private Heartbeats() {}

  /**
   * The heartbeat of {@code registration}'s worker.
   *
   * @param processes its processes (the pool's, or its slots as processes)
   * @param min the fewest processes (slots) kept
   * @param max the most processes (slots) run
   * @param jobs the jobs it holds
   * @param workflowOf a DAG execution key's workflow id (null when unknown)
   */
  public static Heartbeat build(WorkerRegistration registration, long now, long seq, WorkerRunState state,
      List<ProcessInfo> processes, int min, int max, Collection<ActiveJob> jobs, String queue,
      UnaryOperator<String> workflowOf, long processed, long failed, long heartbeatFailures) {
    int busy = (int) processes.stream().filter(p -> p.state() == ProcessState.BUSY).count();
    int idle = (int) processes.stream().filter(p -> p.state() == ProcessState.IDLE).count();
    int size = processes.size();
    WorkerInfo info = new WorkerInfo(registration.workerId(), registration.startedAt(), registration.hostname(), min,
        max, size, idle, busy, processes);
    List<ActiveJobInfo> infos = jobs.stream().map(j -> new ActiveJobInfo(queue, j.jobId(), j.name(),
        j.executionId(), j.dagKey() == null ? null : workflowOf.apply(j.dagKey()), j.startedAt())).toList();
    double load = size == 0 ? 0 : (double) busy / size;
    return new Heartbeat(registration.workerId(), now, seq, state, load, info, infos, processed, failed,
        heartbeatFailures);
  }
}
