package dev.corral.broker.testing;

import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (then fails with the last observed value). */
public final class Await {

  private Await() {}

  /** Waits until {@code condition} holds, at most {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition) {
    until(timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, "condition");
  }

  /** Waits until {@code supplier} returns non-null, at most {@code timeout}; returns that value. */
  public static <T> T until(Duration timeout, Supplier<T> supplier, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = supplier.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Waits until job {@code id} of {@code queue} is completed or failed, and returns which. */
  public static JobState finished(Queue queue, String id, Duration timeout) {
    return until(timeout, () -> {
      JobState s = queue.getState(id);
      return s == JobState.COMPLETED || s == JobState.FAILED ? s : null;
    }, "job " + id + " to finish");
  }
}
