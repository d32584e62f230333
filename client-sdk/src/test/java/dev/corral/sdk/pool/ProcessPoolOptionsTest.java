package dev.corral.sdk.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessPoolOptionsTest {

  private static String error(ProcessPoolOptions.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void defaults() {
    ProcessPoolOptions o = ProcessPoolOptions.builder("node", "w.js").build();
    assertEquals(List.of("node", "w.js"), o.command());
    assertEquals(0, o.minProcesses());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), o.maxProcesses());
    assertEquals(Duration.ZERO, o.jobTimeout());
    assertEquals(Duration.ofSeconds(60), o.idleTimeout());
    assertEquals(Duration.ofSeconds(30), o.recycleDeadline());
  }

  @Test
  void invalidValuesNameTheirField() {
    assertEquals("command cannot be empty", error(ProcessPoolOptions.builder()));
    assertEquals("command[0] (the program) cannot be blank", error(ProcessPoolOptions.builder(" ")));
    assertEquals("command[1] cannot be null",
        error(ProcessPoolOptions.builder(java.util.Arrays.asList("node", null))));
    assertEquals("maxProcesses must be between 1 and 1024, was 0", error(ProcessPoolOptions.builder("n").maxProcesses(0)));
    assertEquals("minProcesses must be between 0 and 2, was 3",
        error(ProcessPoolOptions.builder("n").maxProcesses(2).minProcesses(3)));
    assertEquals("maxJobsPerProcess must be >= 0, was -1", error(ProcessPoolOptions.builder("n").maxJobsPerProcess(-1)));
    assertEquals("maxMemoryMb must be >= 0, was -5", error(ProcessPoolOptions.builder("n").maxMemoryMb(-5)));
    assertEquals("jobTimeout cannot be negative, was PT-1S",
        error(ProcessPoolOptions.builder("n").jobTimeout(Duration.ofSeconds(-1))));
    assertEquals("idleTimeout must be at least 1 ms, was PT0S",
        error(ProcessPoolOptions.builder("n").idleTimeout(Duration.ZERO)));
    assertEquals("startTimeout cannot be null", error(ProcessPoolOptions.builder("n").startTimeout(null)));
    assertEquals("maxLineChars must be >= 1024, was 10", error(ProcessPoolOptions.builder("n").maxLineChars(10)));
    assertEquals("environment name cannot be empty",
        assertThrows(IllegalArgumentException.class, () -> ProcessPoolOptions.builder("n").environment("", "x"))
            .getMessage());
  }
}
