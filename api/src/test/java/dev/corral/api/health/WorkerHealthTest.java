package dev.corral.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.Liveness;
import dev.corral.broker.workers.WorkerInfo;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRunState;
import dev.corral.broker.workers.WorkerStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerHealthTest {

  private static WorkerStatus worker(String id, Liveness liveness, int pool, int busy, boolean heartbeat) {
    WorkerRegistration reg = new WorkerRegistration(id, "h", 1, 0, "v", List.of("q"), List.of(), Map.of(), 6, 0, 0,
        Map.of(), 5_000, 3);
    Heartbeat hb = heartbeat ? new Heartbeat(id, 0, 1, WorkerRunState.RUNNING, 0,
        new WorkerInfo(id, 0, "h", pool, pool, pool, pool - busy, busy, List.of()), List.of(), 0, 0, 0) : null;
    return new WorkerStatus(reg, hb, 0, 0, 1, 0, liveness);
  }

  @Test
  void noRegisteredWorkerIsOkWithZeroCapacity() {
    WorkerHealth h = WorkerHealth.of(List.of());
    assertEquals("ok", h.component().status());
    assertEquals(new HealthReport.WorkerCounts(0, 0, 0, 0, 0, 0), h.counts());
    assertEquals(new HealthReport.Capacity(0, 0), h.capacity());
  }

  @Test
  void healthyWorkersCountTowardsCapacityAndUnhealthyOnesDegradeTheComponent() {
    WorkerHealth h = WorkerHealth.of(List.of(worker("a", Liveness.HEALTHY, 4, 3, true),
        worker("b", Liveness.HEALTHY, 4, 0, true), worker("c", Liveness.HEALTHY, 0, 0, false),
        worker("d", Liveness.UNHEALTHY, 8, 8, true), worker("e", Liveness.DEAD, 8, 8, true)));
    assertEquals(new HealthReport.WorkerCounts(5, 3, 2, 1, 2, 21.4), h.counts());
    assertEquals(new HealthReport.Capacity(3, 14), h.capacity(), "c counts its concurrency (6) before a heartbeat");
    assertEquals("degraded", h.component().status());
    assertEquals("2 of 5 workers missed heartbeats", h.component().reason());
  }

  @Test
  void noHealthyWorkerIsDegraded() {
    WorkerHealth h = WorkerHealth.of(List.of(worker("d", Liveness.UNHEALTHY, 2, 1, true)));
    assertEquals("degraded", h.component().status());
    assertEquals("none of the 1 registered workers is healthy", h.component().reason());
    assertEquals(new HealthReport.Capacity(0, 0), h.capacity());
  }
}
