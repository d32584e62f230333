package dev.corral.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the server is stopping and how many requests are in flight: once stopping, {@code /health} answers
 * 503 (load balancers move away) and other new requests are refused with 503 ({@link DrainFilter}), while the
 * requests in flight are waited for ({@link #awaitIdle}). Long-lived requests (the event stream) end themselves
 * when told through {@link #onStopping}. Thread-safe.
 */
public final class ServerState {

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<Runnable> stoppingListeners = new CopyOnWriteArrayList<>();

  /** Marks the server as stopping and runs the {@link #onStopping} actions; true the first time. */
  public boolean markStopping() {
    if (!stopping.compareAndSet(false, true)) {
      return false;
    }
    for (Runnable action : stoppingListeners) {
      try {
        action.run();
      } catch (RuntimeException e) {
        System.getLogger(ServerState.class.getName()).log(System.Logger.Level.WARNING,
            "a stopping action failed: " + e);
      }
    }
    return true;
  }

  /**
   * Runs {@code action} when the server starts stopping, before the requests in flight are waited for: for
   * requests that never end by themselves (an open event stream), which would otherwise hold the stop for the
   * whole grace period.
   */
  public void onStopping(Runnable action) {
    stoppingListeners.add(action);
  }

  /** Whether the server is stopping. */
  public boolean isStopping() {
    return stopping.get();
  }

  /** A request started. */
  void enter() {
    inFlight.incrementAndGet();
  }

  /** A request ended. */
  void exit() {
    inFlight.decrementAndGet();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Waits until no request is in flight, at most {@code timeout}.
   *
   * @return the requests still in flight (0 when all finished)
   */
  public int awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return inFlight.get();
  }
}
