package dev.corral.api;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the server is stopping (then {@code /health} answers 503, so load balancers move away). Thread-safe. */
public final class ServerState {

  private final AtomicBoolean stopping = new AtomicBoolean();

  /** Marks the server as stopping; true the first time. */
  public boolean markStopping() {
    return stopping.compareAndSet(false, true);
  }

  /** Whether the server is stopping. */
  public boolean isStopping() {
    return stopping.get();
  }
}
