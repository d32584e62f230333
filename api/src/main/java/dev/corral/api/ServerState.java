package dev.corral.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the server is stopping and how many requests are in flight: once stopping, {@code /health} answers
 * 503 (load balancers move away) and other new requests are refused with 503 ({@link DrainFilter}), while the
 * requests in flight are waited for ({@link #awaitIdle}). Thread-safe.
 */
public final class ServerState {

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Marks the server as stopping; true the first time. */
  public boolean markStopping() {
    return stopping.compareAndSet(false, true);
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
