package dev.corral.sdk.internal;

import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import dev.corral.broker.workers.RunningExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The processing slots of an in-JVM worker ({@code concurrency} of them): which are busy, with which job and
 * on which thread, and the slot "recycle" of remote control. A slot runs jobs back to back on one virtual
 * thread; recycling a busy slot ends that chain after its current job (past a deadline, the job's
 * cancellation signal is set), so the next job starts on a fresh thread; recycling an idle slot only restarts its counters (its next job
 * gets a fresh thread anyway).
 *
 * <p>Thread-safe.
 */
public final class SlotTable {

  /** What {@link #requestRecycle} found. */
  public enum RecycleRequest { RESTARTED_IDLE, WILL_RESTART_AFTER_JOB, NO_SUCH_SLOT }

  private static final class Slot {
    boolean busy;
    boolean recycle;
    ActiveJob job;
    Thread thread;
    long startedAt;
    long generation;
    long executions;
  }

  private final Slot[] slots;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();

  /** {@code size} idle slots started at {@code now}. */
  public SlotTable(int size, long now) {
    slots = new Slot[size];
    for (int i = 0; i < size; i++) {
      slots[i] = new Slot();
      slots[i].startedAt = now;
    }
  }

  /** Number of slots. */
  public int size() {
    return slots.length;
  }

  /** Marks the lowest idle slot busy (the caller holds a concurrency permit, so one is idle) and returns it. */
  public int claim() {
    lock.lock();
    try {
      for (int i = 0; i < slots.length; i++) {
        if (!slots[i].busy) {
          slots[i].busy = true;
          return i;
        }
      }
      throw new IllegalStateException("no idle slot although a concurrency permit was held");
    } finally {
      lock.unlock();
    }
  }

  /** Slot {@code i} now runs {@code job} on {@code thread}. */
  public void running(int i, ActiveJob job, Thread thread) {
    lock.lock();
    try {
      slots[i].job = job;
      slots[i].thread = thread;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Slot {@code i} finished a job.
   *
   * @return true when a recycle was requested: the slot's chain must end here
   */
  public boolean jobFinished(int i) {
    lock.lock();
    try {
      slots[i].executions++;
      slots[i].job = null;
      return slots[i].recycle;
    } finally {
      lock.unlock();
    }
  }

  /** Slot {@code i}'s chain ended; a requested recycle restarts it (new generation, counters reset). */
  public void release(int i, long now) {
    lock.lock();
    try {
      Slot s = slots[i];
      if (s.recycle) {
        restart(s, now);
      }
      s.busy = false;
      s.job = null;
      s.thread = null;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static void restart(Slot s, long now) {
    s.recycle = false;
    s.generation++;
    s.startedAt = now;
    s.executions = 0;
  }

  /** Whether a recycle of slot {@code i} is pending. */
  public boolean recycleRequested(int i) {
    lock.lock();
    try {
      return slots[i].recycle;
    } finally {
      lock.unlock();
    }
  }

  /** Asks slot {@code i} to restart: at once when idle, else after its job. */
  public RecycleRequest requestRecycle(int i, long now) {
    lock.lock();
    try {
      if (i < 0 || i >= slots.length) {
        return RecycleRequest.NO_SUCH_SLOT;
      }
      Slot s = slots[i];
      if (!s.busy) {
        restart(s, now);
        return RecycleRequest.RESTARTED_IDLE;
      }
      s.recycle = true;
      return RecycleRequest.WILL_RESTART_AFTER_JOB;
    } finally {
      lock.unlock();
    }
  }

  /** The lowest idle slot, or -1. */
  public int anyIdle() {
    lock.lock();
    try {
      for (int i = 0; i < slots.length; i++) {
        if (!slots[i].busy) {
          return i;
        }
      }
      return -1;
    } finally {
      lock.unlock();
    }
  }

  /** The generation of slot {@code i} (bumped by each restart). */
  public long generation(int i) {
    lock.lock();
    try {
      return slots[i].generation;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until slot {@code i} restarts past {@code generation}, at most {@code timeoutMs}.
   *
   * @return whether it restarted
   */
  public boolean awaitRestart(int i, long generation, long timeoutMs) throws InterruptedException {
    long left = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    lock.lock();
    try {
      while (slots[i].generation <= generation) {
        if (left <= 0) {
          return false;
        }
        left = released.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the cancellation signal of slot {@code i}'s job (a recycle whose deadline passed). The thread is not
   * interrupted: an interrupt in the middle of the job's finishing script call could leave its outcome
   * unknown; the processor sees {@code ctx.isCancelled()}.
   *
   * @return whether the slot had a job
   */
  public boolean cancel(int i) {
    lock.lock();
    try {
      Slot s = slots[i];
      if (s.job != null) {
        s.job.cancel();
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Restarts busy slot {@code i} whose chain ends after a recycle but hands its next job to a new thread. */
  public void restartBusy(int i, long now) {
    lock.lock();
    try {
      restart(slots[i], now);
      slots[i].job = null;
      slots[i].thread = null;
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Busy slots now. */
  public int busyCount() {
    lock.lock();
    try {
      int n = 0;
      for (Slot s : slots) {
        n += s.busy ? 1 : 0;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** The slots as heartbeat processes: pid = the JVM's, processId {@code slot-<i>}. */
  public List<ProcessInfo> snapshot(String queue, long pid, long now) {
    lock.lock();
    try {
      List<ProcessInfo> out = new ArrayList<>(slots.length);
      for (int i = 0; i < slots.length; i++) {
        Slot s = slots[i];
        RunningExecution exec = null;
        if (s.job != null) {
          exec = new RunningExecution(queue, s.job.jobId(), s.job.executionId(), s.job.startedAt(),
              Math.max(0, now - s.job.startedAt()) / 1000);
        }
        out.add(new ProcessInfo(pid, "slot-" + i, s.busy ? ProcessState.BUSY : ProcessState.IDLE, 0,
            Math.max(0, now - s.startedAt) / 1000, s.executions, exec));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }
}
