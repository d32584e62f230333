package dev.corral.api.health;

import dev.corral.api.health.HealthReport.Capacity;
import dev.corral.api.health.HealthReport.Component;
import dev.corral.api.health.HealthReport.WorkerCounts;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.Liveness;
import dev.corral.broker.workers.WorkerStatus;
import java.util.List;

/**
 * The workers part of {@code /health}, computed from the registry's view of each worker: pure, no I/O.
 *
 * @param counts workers by state
 * @param capacity busy and total slots of the healthy workers
 * @param component the workers component
 */
public record WorkerHealth(WorkerCounts counts, Capacity capacity, Component component) {

  /** The health of {@code workers} (every registered worker, with its liveness computed now). */
  public static WorkerHealth of(List<WorkerStatus> workers) {
    int active = 0;
    int busy = 0;
    int unhealthy = 0;
    long busySlots = 0;
    long slots = 0;
    for (WorkerStatus w : workers) {
      if (w.liveness() != Liveness.HEALTHY) {
        unhealthy++;
        continue;
      }
      active++;
      Heartbeat hb = w.heartbeat();
      long size = hb == null || hb.info() == null ? w.registration().concurrency() : hb.info().poolSize();
      long used = hb == null ? 0 : hb.info() == null ? hb.jobs().size() : hb.info().busyCount();
      slots += size;
      busySlots += Math.min(used, size);
      if (used > 0) {
        busy++;
      }
    }
    double utilization = slots == 0 ? 0 : Math.round(busySlots * 1000.0 / slots) / 10.0;
    WorkerCounts counts = new WorkerCounts(workers.size(), active, active - busy, busy, unhealthy, utilization);
    Component component;
    if (workers.isEmpty()) {
      component = Component.ok("no registered workers (Node BullMQ workers do not register)");
    } else if (active == 0) {
      component = Component.degraded("none of the " + workers.size() + " registered workers is healthy");
    } else if (unhealthy > 0) {
      component = Component.degraded(unhealthy + " of " + workers.size() + " workers missed heartbeats");
    } else {
      component = Component.ok(active + " healthy workers");
    }
    return new WorkerHealth(counts, new Capacity(busySlots, slots), component);
  }
}
