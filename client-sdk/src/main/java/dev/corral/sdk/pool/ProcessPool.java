package dev.corral.sdk.pool;

import dev.corral.broker.workers.ProcessInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The children of a process pool: hands an idle one (or a new one, below the maximum) to each job, takes it
 * back after the job, replaces the ones that crash, time out, are recycled or reach their job or memory limit,
 * stops the ones idle too long above the minimum, and keeps the minimum running. Decisions are
 * {@link PoolPolicy}'s; this class does the I/O and the bookkeeping. Thread-safe (one lock, never held while a
 * process starts or stops).
 */
final class ProcessPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);

  private final ProcessPoolOptions options;
  private final PoolPolicy policy;
  private final ProcMemory memory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, PooledProcess> processes = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ScheduledExecutorService maintenance;
  private int consecutiveStartFailures;
  private long lastStartFailureMs;
  private volatile boolean closed;

  ProcessPool(ProcessPoolOptions options, Clock clock, ProcMemory memory) {
    this.options = options;
    this.policy = new PoolPolicy(options, clock);
    this.memory = memory;
    this.maintenance = Executors.newSingleThreadScheduledExecutor(
        Thread.ofVirtual().name("corral-pool-maint-", 0).factory());
    long every = options.maintenanceInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, 0, every, TimeUnit.MILLISECONDS);
  }

  PoolPolicy policy() {
    return policy;
  }

  /**
   * A process for one job, marked busy: an idle one, else a new one (started on this thread) while below the
   * maximum, else the first that frees up. It is reported as running {@code jobId} from then on.
   *
   * @throws PoolJobException when the pool is closed or the new process cannot start
   * @throws CancellationException when {@code cancelled} turns true while waiting
   */
  PooledProcess acquire(String queue, String jobId, String executionId, BooleanSupplier cancelled)
      throws InterruptedException {
    PooledProcess reserved;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new PoolJobException(PoolJobException.Reason.POOL_CLOSED, "the process pool is closed");
        }
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("the job was cancelled while waiting for a pool process");
        }
        PoolPolicy.Acquire decision = policy.acquire(views());
        if (decision instanceof PoolPolicy.Acquire.Use use) {
          PooledProcess p = processes.get(use.processId());
          if (p.child.hasPendingOutput() || !p.child.isAlive()) {
            retire(p, p.child.isAlive() ? "it wrote to stdout while idle" : "it exited while idle", true);
            continue;
          }
          p.phase = PoolPolicy.Phase.BUSY;
          p.beginJob(queue, jobId, executionId, policy.now());
          return p;
        }
        if (decision instanceof PoolPolicy.Acquire.Start) {
          reserved = reserve();
          break;
        }
        changed.await(PoolPolicy.CANCEL_POLL_MS, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
    ChildProcess child = startChild(reserved);
    lock.lock();
    try {
      if (closed) {
        started(reserved, child, PoolPolicy.Phase.IDLE); // stopped at once
        throw new PoolJobException(PoolJobException.Reason.POOL_CLOSED, "the process pool is closed");
      }
      reserved.beginJob(queue, jobId, executionId, policy.now());
      started(reserved, child, PoolPolicy.Phase.BUSY);
      return reserved;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code p} back after its job: idle again, or replaced when it was killed ({@code reusable} false),
   * asked to recycle, wrote after its answer, or reached its job count or memory limit.
   */
  void release(PooledProcess p, boolean reusable) {
    long sampled = reusable ? p.child.residentMb(memory) : 0;
    lock.lock();
    try {
      p.jobsCompleted++;
      p.queue = null;
      p.jobId = null;
      p.executionId = null;
      if (!reusable) {
        p.phase = PoolPolicy.Phase.KILLED;
        forgetIfExited(p);
        if (!closed) {
          startInBackground();
        }
        changed.signalAll();
        return;
      }
      p.memoryMb = sampled;
      String reason = p.recycleReason != null ? "it was recycled (" + p.recycleReason + ")"
          : p.child.hasPendingOutput() ? "it wrote to stdout after its answer"
          : policy.recycleAfterJob(p.jobsCompleted, sampled);
      if (closed || reason != null) {
        retire(p, closed ? "the pool is closing" : reason, !closed);
      } else {
        p.phase = PoolPolicy.Phase.IDLE;
        p.idleSinceMs = policy.now();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Recycles process {@code pid}: an idle one at once; a busy one once its job ends, or killed at
   * {@code deadline} (its job then fails naming the recycle).
   *
   * @return false when no started process has that pid
   */
  boolean recycle(long pid, Duration deadline, String reason) {
    lock.lock();
    try {
      for (PooledProcess p : processes.values()) {
        ChildProcess c = p.child;
        if (c == null || c.pid() != pid) {
          continue;
        }
        switch (p.phase) {
          case IDLE -> retire(p, "it was recycled (" + reason + ")", true);
          case BUSY -> {
            if (p.recycleReason == null) {
              p.recycleReason = reason;
              p.recycleDeadlineMs = deadline.toMillis();
              p.recycleDeadlineAtMs = policy.now() + deadline.toMillis();
              c.wake();
            }
          }
          default -> { } // already going away
        }
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Recycles the process idle the longest; its pid, or -1 when none is idle. */
  long recycleIdle(String reason) {
    lock.lock();
    try {
      PooledProcess oldest = null;
      for (PooledProcess p : processes.values()) {
        if (p.phase == PoolPolicy.Phase.IDLE && (oldest == null || p.idleSinceMs < oldest.idleSinceMs)) {
          oldest = p;
        }
      }
      if (oldest == null) {
        return -1;
      }
      retire(oldest, "it was recycled (" + reason + ")", true);
      return oldest.child.pid();
    } finally {
      lock.unlock();
    }
  }

  /** The started processes now (idle, busy, killed and not yet exited). */
  List<ProcessInfo> processes() {
    lock.lock();
    try {
      long now = policy.now();
      List<ProcessInfo> infos = new ArrayList<>();
      for (PooledProcess p : processes.values()) {
        ProcessInfo info = p.info(now);
        if (info != null) {
          infos.add(info);
        }
      }
      return infos;
    } finally {
      lock.unlock();
    }
  }

  /** Stops maintenance, kills busy children (their jobs fail), stops idle ones, and waits for them to exit. */
  @Override
  public void close() {
    List<ChildProcess> children = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      maintenance.shutdownNow();
      for (PooledProcess p : List.copyOf(processes.values())) { // retire may remove
        if (p.phase == PoolPolicy.Phase.BUSY) {
          p.killedFor = new PoolJobException(PoolJobException.Reason.POOL_CLOSED,
              "the process pool was closed; pool process pid " + p.child.pid() + " was killed");
          p.child.kill();
        } else if (p.phase == PoolPolicy.Phase.IDLE) {
          retire(p, "the pool is closing", false);
        }
        if (p.child != null) {
          children.add(p.child);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    long waitUntil = System.nanoTime() + options.stopGrace().plusSeconds(1).toNanos();
    for (ChildProcess c : children) {
      try {
        c.onExit().get(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.kill();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        c.kill();
      }
    }
  }

  // ---------------------------------------------------------------- internals (lock held unless noted)

  private List<PoolPolicy.View> views() {
    List<PoolPolicy.View> views = new ArrayList<>(processes.size());
    processes.values().forEach(p -> views.add(p.view()));
    return views;
  }

  private PooledProcess reserve() {
    PooledProcess p = new PooledProcess("p" + ids.incrementAndGet());
    processes.put(p.processId, p);
    return p;
  }

  /** Starts the child of a reserved entry; lock not held. On failure the entry is dropped. */
  private ChildProcess startChild(PooledProcess reserved) throws InterruptedException {
    try {
      return ChildProcess.start(reserved.processId, options);
    } catch (RuntimeException | InterruptedException e) {
      lock.lock();
      try {
        processes.remove(reserved.processId);
        consecutiveStartFailures++;
        lastStartFailureMs = policy.now();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  private void started(PooledProcess p, ChildProcess child, PoolPolicy.Phase phase) {
    consecutiveStartFailures = 0;
    p.child = child;
    p.startedAtMs = policy.now();
    p.idleSinceMs = p.startedAtMs;
    p.phase = phase;
    child.onExit().thenRun(() -> exited(p));
    if (closed && phase == PoolPolicy.Phase.IDLE) {
      retire(p, "the pool is closing", false);
    }
    changed.signalAll();
  }

  /** Starts a process to become idle, on a virtual thread, when below the maximum. */
  private void startInBackground() {
    if (closed || PoolPolicy.live(views()) >= options.maxProcesses()) {
      return;
    }
    PooledProcess p = reserve();
    Thread.ofVirtual().name("corral-pool-start-" + p.processId).start(() -> {
      ChildProcess child;
      try {
        child = startChild(p);
      } catch (RuntimeException | InterruptedException e) {
        LOG.warn("could not start a pool process: {}", e.getMessage());
        return;
      }
      lock.lock();
      try {
        started(p, child, PoolPolicy.Phase.IDLE);
      } finally {
        lock.unlock();
      }
    });
  }

  /** Stops {@code p} gracefully on a virtual thread (stdin closed, killed after stopGrace). */
  private void retire(PooledProcess p, String reason, boolean replace) {
    LOG.info("stopping pool process {} (pid {}): {}", p.processId, p.child.pid(), reason);
    p.phase = PoolPolicy.Phase.KILLED;
    ChildProcess child = p.child;
    Thread.ofVirtual().name("corral-pool-stop-" + p.processId).start(() -> child.stop(options.stopGrace()));
    forgetIfExited(p);
    if (replace) {
      startInBackground();
    }
  }

  private void forgetIfExited(PooledProcess p) {
    if (!p.child.isAlive()) {
      processes.remove(p.processId, p);
    }
  }

  /** Called once a started child exits (lock not held). */
  private void exited(PooledProcess p) {
    lock.lock();
    try {
      if (p.phase == PoolPolicy.Phase.IDLE) {
        // counted as a failed start: maintenance restores the minimum with backoff, so a child that dies right
        // after its ready line cannot make the pool restart it in a tight loop
        LOG.warn("pool process {} (pid {}) exited while idle", p.processId, p.child.pid());
        p.phase = PoolPolicy.Phase.KILLED;
        consecutiveStartFailures++;
        lastStartFailureMs = policy.now();
      }
      if (p.phase == PoolPolicy.Phase.KILLED) {
        processes.remove(p.processId, p);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Samples memory, then applies the policy's tick (lock taken here; runs on the maintenance thread). */
  private void maintain() {
    try {
      List<PooledProcess> started = new ArrayList<>();
      lock.lock();
      try {
        processes.values().stream().filter(p -> p.child != null && p.phase != PoolPolicy.Phase.KILLED)
            .forEach(started::add);
      } finally {
        lock.unlock();
      }
      Map<PooledProcess, Long> sampled = new LinkedHashMap<>();
      started.forEach(p -> sampled.put(p, p.child.residentMb(memory)));
      lock.lock();
      try {
        sampled.forEach((p, mb) -> p.memoryMb = mb);
        for (PooledProcess p : List.copyOf(processes.values())) {
          if (p.phase == PoolPolicy.Phase.IDLE && p.child.hasPendingOutput()) {
            retire(p, "it wrote to stdout while idle", true);
          }
        }
        PoolPolicy.Tick tick = policy.tick(views(), consecutiveStartFailures, lastStartFailureMs);
        for (PoolPolicy.Retire r : tick.retire()) {
          retire(processes.get(r.processId()), r.reason(), r.replace());
        }
        for (int i = 0; i < tick.start(); i++) {
          startInBackground();
        }
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.warn("process pool maintenance failed", e);
    }
  }
}
