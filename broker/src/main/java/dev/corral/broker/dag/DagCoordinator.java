package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.internal.StreamConnection;
import dev.corral.broker.support.Checks;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the DAG bookkeeping of nodes finished by workers that know nothing of DAGs (Node BullMQ workers):
 * nodes finished by Corral's workers are handled inline by their finishing script, the others by this.
 *
 * <p>Two loops, each on its own virtual thread:
 *
 * <ul>
 *   <li><b>events</b> (unless {@link DagCoordinatorOptions#followEvents()} is off): follows the {@code events}
 *       streams of the queues listed in {@code <p>:dag:queues} with one {@code XREAD BLOCK} over all of them
 *       on a dedicated connection (named {@code <p>:dag:coordinator}), re-reading the queue set every round
 *       (at most {@link DagCoordinatorOptions#blockTimeout()}) and at once when the DAG stream shows a
 *       submission. Each {@code completed} / {@code failed} event runs the idempotent {@code dagNodeFinished}
 *       script (a no-op for non-DAG jobs, retried attempts and nodes already handled); a job whose hash is
 *       already gone (a worker's {@code removeOnComplete}) finishes with the outcome and return value its
 *       event carries. Per-queue cursors are kept in {@code <p>:dag:cursors}, so a restarted coordinator goes
 *       on where the last one stopped; a queue without a cursor is read from the start of its retained
 *       stream.
 *   <li><b>sweep</b>: a {@link DagSweeper} run at start and then every
 *       {@link DagCoordinatorOptions#sweepInterval()}: what guarantees progress when an event was never read.
 * </ul>
 *
 * <p>Redis errors are logged, passed to {@link DagCoordinatorOptions#errorListener()} and retried with
 * exponential backoff; they never end a loop. Several coordinators may run at once (every script is
 * idempotent): a dependent is still released exactly once.
 *
 * <p>Timestamps come from the client's clock. Thread-safe; {@link #close()} is idempotent and interrupts a
 * pending block at once.
 */
public final class DagCoordinator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DagCoordinator.class);

  private final DagCoordinatorOptions options;
  private final DagKeys keys;
  private final DagSweeper sweeper;
  private final StreamConnection connection;
  private final DagEventFollower follower;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong sweptNodes = new AtomicLong();
  private final AtomicLong cleaned = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean closed;
  private Thread eventLoop; // guarded by lock
  private Thread sweepLoop; // guarded by lock

  private DagCoordinator(BrokerClient client, DagCoordinatorOptions options) {
    this.options = options;
    this.keys = new DagKeys(options.prefix());
    this.sweeper = new DagSweeper(client, keys);
    if (options.followEvents()) {
      this.connection = new StreamConnection(client, keys.base() + "coordinator", options.blockTimeout().toMillis(),
          keys.stream());
      this.follower = new DagEventFollower(client, keys, options, connection, LOG::warn);
    } else {
      this.connection = null;
      this.follower = null;
    }
  }

  /** Starts a coordinator for the executions under the default prefix {@code bull}, with the defaults. */
  public static DagCoordinator start(BrokerClient client) {
    return start(client, DagCoordinatorOptions.defaults());
  }

  /**
   * Starts a coordinator: the first sweep and the event loop begin at once, on their own threads.
   *
   * @throws IllegalArgumentException for a null client or options
   */
  public static DagCoordinator start(BrokerClient client, DagCoordinatorOptions options) {
    Checks.notNull(client, "client");
    Checks.notNull(options, "options");
    DagCoordinator coordinator = new DagCoordinator(client, options);
    coordinator.startLoops();
    return coordinator;
  }

  private void startLoops() {
    lock.lock();
    try {
      sweepLoop = Thread.ofVirtual().name("corral-dag-sweep").start(this::runSweeps);
      if (follower != null) {
        eventLoop = Thread.ofVirtual().name("corral-dag-events").start(this::runEvents);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The key names used. */
  public DagKeys keys() {
    return keys;
  }

  /** The options it runs with. */
  public DagCoordinatorOptions options() {
    return options;
  }

  /**
   * Runs one reconciliation sweep now, on the calling thread (tests, operations). Counted in
   * {@link #stats()}.
   *
   * @throws RuntimeException when Redis fails
   */
  public DagSweeper.Result sweepOnce() {
    DagSweeper.Result result = sweeper.sweep();
    sweeps.incrementAndGet();
    sweptNodes.addAndGet(result.nodesFinished());
    cleaned.addAndGet(result.indexEntriesCleaned());
    return result;
  }

  /** Counters since start. */
  public DagCoordinatorStats stats() {
    return new DagCoordinatorStats(
        follower == null ? 0 : follower.eventsRead.get(),
        follower == null ? 0 : follower.eventsHandled.get(),
        follower == null ? 0 : follower.nodesFinished.get(),
        sweptNodes.get(), sweeps.get(), cleaned.get(), errors.get());
  }

  /**
   * The queue base keys the event loop followed after its last round (empty when events are not followed).
   * Read from the loop's thread state; for tests and diagnostics.
   */
  public Set<String> followedQueues() {
    return follower == null ? Set.of() : follower.followed();
  }

  /** Whether it runs (started and not closed). */
  public boolean isRunning() {
    return !closed;
  }

  /** Stops both loops and closes the dedicated connection; waits up to 10 s for them. Idempotent. */
  @Override
  public void close() {
    Thread events;
    Thread sweeps;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      events = eventLoop;
      sweeps = sweepLoop;
    } finally {
      lock.unlock();
    }
    if (connection != null) {
      connection.interrupt();
    }
    for (Thread t : new Thread[] {events, sweeps}) {
      if (t != null && t != Thread.currentThread()) {
        t.interrupt();
        try {
          if (!t.join(Duration.ofSeconds(10))) {
            LOG.warn("DagCoordinator {}: {} did not stop within 10 s", keys.prefix(), t.getName());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  // ---------------------------------------------------------------- loops

  private void runEvents() {
    long pauseMs = options.minRetryDelay().toMillis();
    while (!closed) {
      try {
        follower.round();
        pauseMs = options.minRetryDelay().toMillis();
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | ExecutionException e) {
        if (closed) {
          break;
        }
        report("event loop", e, pauseMs);
        connection.dropConnection();
        if (!pause(pauseMs)) {
          break;
        }
        pauseMs = Math.min(pauseMs * 2, options.maxRetryDelay().toMillis());
      }
    }
  }

  private void runSweeps() {
    long intervalMs = options.sweepInterval().toMillis();
    long pauseMs = options.minRetryDelay().toMillis();
    while (!closed) {
      long waitMs = intervalMs;
      try {
        sweepOnce();
        pauseMs = options.minRetryDelay().toMillis();
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        report("sweep", e, Math.min(pauseMs, intervalMs));
        waitMs = Math.min(pauseMs, intervalMs);
        pauseMs = Math.min(pauseMs * 2, Math.max(options.maxRetryDelay().toMillis(), intervalMs));
      }
      if (!pause(waitMs)) {
        break;
      }
    }
  }

  private void report(String where, Exception e, long retryMs) {
    errors.incrementAndGet();
    LOG.warn("DagCoordinator {}: {} failed ({}); retrying in {} ms", keys.prefix(), where, rootMessage(e), retryMs);
    if (options.errorListener() != null) {
      try {
        options.errorListener().accept(e);
      } catch (RuntimeException listenerFailure) {
        LOG.warn("DagCoordinator {}: the error listener failed", keys.prefix(), listenerFailure);
      }
    }
  }

  /** Sleeps; false when interrupted or closed. */
  private boolean pause(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
