package dev.corral.broker.lease;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the processes sharing one Redis, by a lease: the key {@link LeaseKeys#leader()} holds
 * the leader's instance id with a TTL. A loop on a virtual thread runs every {@link LeaseOptions#renewPeriod()}:
 * the leader renews the lease (compare and renew), the others try to take it ({@code SET NX PX}). A renewal
 * refused by Redis ends leadership at once; a renewal without an answer ends it at the lease's local deadline
 * ({@link LeaseState}), each call being bounded by the time left. {@link #close()} gives the lease up
 * (compare and release), so a successor takes over at its next attempt instead of after the TTL.
 *
 * <p>The {@link Listener} is called on the loop's thread (or the closing thread) on every change: start the
 * leader's duties on {@code elected}, stop them at once on {@code revoked}. Timestamps come from the client's
 * clock. Thread-safe; {@link #close()} is idempotent.
 */
public final class LeaderLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

  /** Told when this instance gains or loses leadership. */
  public interface Listener {
    /** This instance leads now: start the leader's duties. */
    void elected();

    /** This instance no longer leads ({@code reason} says why): stop the leader's duties now. */
    void revoked(String reason);
  }

  /**
   * Who holds the lease, as read from Redis.
   *
   * @param instanceId the holder's instance id
   * @param expiresInMs milliseconds until the lease expires unless renewed
   */
  public record Holder(String instanceId, long expiresInMs) {}

  private final LeaseOptions options;
  private final String key;
  private final ScriptRunner scripts;
  private final BrokerClient client;
  private final Clock clock;
  private final LeaseState state;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
  private final ReentrantLock lock = new ReentrantLock();
  private Listener listener = new Listener() {
    @Override
    public void elected() {}

    @Override
    public void revoked(String reason) {}
  }; // guarded by lock
  private Thread loop; // guarded by lock
  private volatile boolean stopped;

  private LeaderLease(BrokerClient client, LeaseOptions options) {
    this.client = client;
    this.options = options;
    this.key = new LeaseKeys(options.prefix()).leader();
    this.scripts = client.scripts();
    this.clock = client.clock();
    this.state = new LeaseState(options.ttl().toMillis());
  }

  /** A lease on {@code client}'s Redis, not started: it does not take part in the election yet. */
  public static LeaderLease create(BrokerClient client, LeaseOptions options) {
    Checks.notNull(client, "client");
    Checks.notNull(options, "options");
    return new LeaderLease(client, options);
  }

  /**
   * Starts taking part in the election, telling {@code listener} about every change.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start(Listener listener) {
    Checks.notNull(listener, "listener");
    lock.lock();
    try {
      if (loop != null || stopped) {
        throw new IllegalStateException("the lease was already started or closed");
      }
      this.listener = listener;
      loop = Thread.ofVirtual().name("corral-leader-lease").start(this::run);
    } finally {
      lock.unlock();
    }
  }

  /** This process's instance id. */
  public String instanceId() {
    return options.instanceId();
  }

  /** The options it runs with. */
  public LeaseOptions options() {
    return options;
  }

  /** The lease key. */
  public String key() {
    return key;
  }

  /** Whether this instance leads now. */
  public boolean isLeader() {
    return state.isLeader(clock.millis());
  }

  /** When this instance's current leadership began (ms since the epoch), or -1 when it does not lead. */
  public long acquiredAt() {
    return state.acquiredAt();
  }

  /** Who holds the lease now (two reads: GET and PTTL), empty when nobody does. */
  public Optional<Holder> holder() {
    RBucket<String> bucket = client.redisson().getBucket(key, StringCodec.INSTANCE);
    String id = bucket.get();
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(new Holder(id, Math.max(0, bucket.remainTimeToLive())));
  }

  private void run() {
    while (!stopped) {
      try {
        step();
      } catch (RuntimeException e) {
        LOG.warn("leader lease: {}", e.toString());
      }
      long now = clock.millis();
      long delay = options.renewPeriod().toMillis();
      if (state.isLeader(now)) {
        // wake with time left to renew: a slow take or renewal may have left less than one period
        delay = Math.max(1, Math.min(delay, state.remainingMs(now) / 2));
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One attempt: renew when leading, else try to take the lease. */
  private void step() {
    long now = clock.millis();
    fire(state.check(now), "the lease was not renewed within its TTL");
    String ttl = String.valueOf(options.ttl().toMillis());
    if (state.isLeader(now)) {
      long sentAt = clock.millis();
      try {
        List<Object> r = call(() -> scripts.run(Command.LEASE_RENEW, key, instanceId(), ttl),
            Math.max(1, state.remainingMs(sentAt)));
        if ((Long) r.get(0) == 1) {
          state.renewed(sentAt);
        } else {
          String holder = (String) r.get(1);
          fire(state.lost(), holder.isEmpty() ? "the lease expired" : "the lease is held by " + holder);
        }
      } catch (TimeoutException | RuntimeException e) {
        LOG.warn("leader lease: renewal failed ({}); leading until the lease's deadline at most", e.toString());
        fire(state.check(clock.millis()), "the lease could not be renewed: " + e);
      }
    } else {
      long sentAt = clock.millis();
      try {
        List<Object> r = call(() -> scripts.run(Command.LEASE_ACQUIRE, key, instanceId(), ttl),
            options.ttl().toMillis());
        if ((Long) r.get(0) == 1 && !stopped) {
          fire(state.taken(sentAt), null);
        }
      } catch (TimeoutException | RuntimeException e) {
        LOG.debug("leader lease: cannot take the lease: {}", e.toString());
      }
    }
  }

  /** Runs {@code script} on another virtual thread, waiting at most {@code timeoutMs}. */
  private List<Object> call(Callable<List<Object>> script, long timeoutMs) throws TimeoutException {
    Future<List<Object>> f = calls.submit(script);
    try {
      return f.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      f.cancel(true);
      throw e;
    }
  }

  private void fire(LeaseState.Change change, String reason) {
    Listener l;
    lock.lock();
    try {
      l = listener;
    } finally {
      lock.unlock();
    }
    try {
      if (change == LeaseState.Change.ELECTED) {
        LOG.info("leader lease: instance {} is the leader now", instanceId());
        l.elected();
      } else if (change == LeaseState.Change.REVOKED) {
        LOG.warn("leader lease: instance {} is no longer the leader: {}", instanceId(), reason);
        l.revoked(reason);
      }
    } catch (RuntimeException e) {
      LOG.warn("leader lease: the listener failed: {}", e.toString());
    }
  }

  /** Stops the loop and waits for it (bounded); true when it had been started. */
  private boolean stopLoop() {
    Thread t;
    lock.lock();
    try {
      if (stopped) {
        return false;
      }
      stopped = true;
      t = loop;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(options.ttl().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return true;
  }

  /**
   * Stops taking part without giving the lease up, as a process that died would: the leader's duties stop
   * (the listener is told), but the key stays until its TTL ends. For tests and failure drills.
   */
  public void abandon() {
    if (stopLoop()) {
      fire(state.lost(), "abandoned (the lease is left to expire)");
    }
    calls.shutdownNow();
  }

  /**
   * Stops taking part: the leader's duties stop (the listener is told first), then the lease is given up if
   * this instance holds it, so another instance takes over at once. Idempotent.
   */
  @Override
  public void close() {
    if (!stopLoop()) {
      return;
    }
    fire(state.lost(), "shutting down");
    try {
      List<Object> r = call(() -> scripts.run(Command.LEASE_RELEASE, key, instanceId()), 2_000);
      if ((Long) r.get(0) == 1) {
        LOG.info("leader lease: instance {} released the lease", instanceId());
      }
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("leader lease: could not release the lease ({}); it expires within {} ms", e.toString(),
          options.ttl().toMillis());
    } finally {
      calls.shutdownNow();
    }
  }
}
