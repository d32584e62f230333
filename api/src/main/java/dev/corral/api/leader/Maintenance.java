package dev.corral.api.leader;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagCoordinator;
import dev.corral.broker.dag.DagCoordinatorOptions;
import dev.corral.broker.lease.LeaderLease;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The background maintenance the elected leader runs, started by {@link #elected()} and stopped at once by
 * {@link #revoked(String)} or {@link #close()}: the DAG coordinator with its reconciliation sweep
 * ({@link DagCoordinator}), and a loop on a virtual thread that runs the registry's dead-worker sweep every
 * {@code tick} (throttled by the registry as when workers call it) and the stalled check of every known queue
 * every {@link Recovery#STALLED_INTERVAL} (throttled per queue by {@code stalled-check}, so it is harmless
 * beside workers running the same check). Stuck-history retention needs no duty: every hourly bucket expires
 * by itself ({@code EXPIREAT}). Every step first checks that this instance still leads.
 *
 * <p>Failures are logged and retried at the next tick. Thread-safe.
 */
public final class Maintenance implements LeaderLease.Listener, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Maintenance.class.getName());

  private final BrokerClient broker;
  private final Recovery recovery;
  private final BooleanSupplier stillLeader;
  private final DagCoordinatorOptions dagOptions;
  private final Duration tick;
  private final Duration stalledInterval;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong starts = new AtomicLong();
  private final AtomicLong stalledRecovered = new AtomicLong();
  private final AtomicLong workersSwept = new AtomicLong();
  private DagCoordinator coordinator; // guarded by lock
  private Thread loop; // guarded by lock
  private boolean closed; // guarded by lock

  /**
   * Maintenance on {@code broker}.
   *
   * @param stillLeader asked before every step (the lease's {@code isLeader})
   * @param tick how often the loop wakes (the dead-worker sweep's period)
   * @param stalledInterval how often the stalled checks run
   */
  public Maintenance(BrokerClient broker, Recovery recovery, BooleanSupplier stillLeader,
      DagCoordinatorOptions dagOptions, Duration tick, Duration stalledInterval) {
    this.broker = broker;
    this.recovery = recovery;
    this.stillLeader = stillLeader;
    this.dagOptions = dagOptions;
    this.tick = tick;
    this.stalledInterval = stalledInterval;
  }

  @Override
  public void elected() {
    lock.lock();
    try {
      if (closed || loop != null) {
        return;
      }
      starts.incrementAndGet();
      loop = Thread.ofVirtual().name("corral-maintenance").start(this::run);
      LOG.log(Level.INFO, "leader maintenance started: DAG coordinator, dead-worker sweep, stalled checks");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void revoked(String reason) {
    if (stop()) {
      LOG.log(Level.INFO, "leader maintenance stopped: {0}", reason);
    }
  }

  /** Whether the leader's duties run now. */
  public boolean isRunning() {
    lock.lock();
    try {
      return loop != null;
    } finally {
      lock.unlock();
    }
  }

  /** How many times the duties were started (elections won). */
  public long starts() {
    return starts.get();
  }

  /** Stalled jobs moved back to wait by the maintenance loop. */
  public long stalledRecovered() {
    return stalledRecovered.get();
  }

  /** Dead workers swept by the maintenance loop. */
  public long workersSwept() {
    return workersSwept.get();
  }

  private void run() {
    long nextStalled = System.nanoTime(); // due at once
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (stillLeader.getAsBoolean()) {
          startCoordinator();
          workersSwept.addAndGet(recovery.sweepDeadWorkers(true).size());
          long now = System.nanoTime();
          if (now - nextStalled >= 0 && stillLeader.getAsBoolean()) {
            stalledRecovered.addAndGet(recovery.checkStalledEverywhere());
            nextStalled = System.nanoTime() + stalledInterval.toNanos();
          }
        }
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.log(Level.WARNING, "leader maintenance: {0}", e.toString());
      }
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Starts the DAG coordinator unless it runs (retried at every tick while Redis refuses). */
  private void startCoordinator() {
    lock.lock();
    try {
      if (coordinator == null && loop == Thread.currentThread()) {
        coordinator = DagCoordinator.start(broker, dagOptions);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the duties (bounded wait for the loop); true when they were running. */
  private boolean stop() {
    Thread t;
    DagCoordinator c;
    lock.lock();
    try {
      t = loop;
      c = coordinator;
      loop = null;
      coordinator = null;
    } finally {
      lock.unlock();
    }
    if (t == null) {
      return false;
    }
    t.interrupt();
    try {
      t.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      c = c != null ? c : coordinator; // started by the loop after the first read
      coordinator = null;
    } finally {
      lock.unlock();
    }
    if (c != null) {
      c.close();
    }
    return true;
  }

  /** Stops the duties for good. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    stop();
  }
}
