package dev.corral.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link WorkerOptions}: BullMQ's defaults, and each invalid value refused with a message naming it. */
class WorkerOptionsTest {

  private static String refused(WorkerOptions.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void defaultsAreBullmqs() {
    WorkerOptions o = WorkerOptions.defaults();
    assertEquals(1, o.concurrency());
    assertEquals(Duration.ofSeconds(30), o.lockDuration());
    assertEquals(Duration.ofSeconds(15), o.lockRenewTime());
    assertEquals(Duration.ofSeconds(30), o.stalledInterval());
    assertEquals(1, o.maxStalledCount());
    assertEquals(Duration.ofSeconds(5), o.drainDelay());
    assertEquals(0, o.maxStartedAttempts());
    assertEquals(0, o.metricsMaxDataPoints());
  }

  @Test
  void maxStartedAttemptsAndMetricsAreKept() {
    WorkerOptions o = WorkerOptions.builder().maxStartedAttempts(3).metrics(WorkerOptions.METRICS_ONE_WEEK).build();
    assertEquals(3, o.maxStartedAttempts());
    assertEquals(10_080, o.metricsMaxDataPoints());
  }

  @Test
  void invalidValuesAreRefusedNamingTheField() {
    assertEquals("maxStartedAttempts must be greater or equal than 0, was -1",
        refused(WorkerOptions.builder().maxStartedAttempts(-1)));
    assertEquals("metrics.maxDataPoints must be between 0 and 525600, was -5",
        refused(WorkerOptions.builder().metrics(-5)));
    assertEquals("metrics.maxDataPoints must be between 0 and 525600, was 525601",
        refused(WorkerOptions.builder().metrics(WorkerOptions.MAX_METRICS_DATA_POINTS + 1)));
    assertEquals("concurrency must be between 1 and 10000, was 0", refused(WorkerOptions.builder().concurrency(0)));
    assertEquals("maxStalledCount must be greater or equal than 0, was -1",
        refused(WorkerOptions.builder().maxStalledCount(-1)));
  }
}
