package dev.corral.sdk.internal;

import dev.corral.broker.Job;
import dev.corral.sdk.WorkerListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The worker's listeners (and its processed / failed counters); a listener that throws is reported to the others' error() and otherwise ignored. */
public final class Listeners implements WorkerListener {

  private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

  private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** Attempts finished (completed or failed, retried or not) since the worker started. */
  public long processed() {
    return processed.get();
  }

  /** Attempts that failed since the worker started. */
  public long failedCount() {
    return failed.get();
  }

  public void add(WorkerListener listener) {
    listeners.add(listener);
  }

  public void remove(WorkerListener listener) {
    listeners.remove(listener);
  }

  private void each(Consumer<WorkerListener> call) {
    for (WorkerListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a worker listener threw", e);
      }
    }
  }

  @Override
  public void active(Job job) {
    each(l -> l.active(job));
  }

  @Override
  public void completed(Job job, Object result) {
    processed.incrementAndGet();
    each(l -> l.completed(job, result));
  }

  @Override
  public void failed(Job job, Throwable error, boolean willRetry) {
    processed.incrementAndGet();
    failed.incrementAndGet();
    each(l -> l.failed(job, error, willRetry));
  }

  @Override
  public void progress(Job job, Object progress) {
    each(l -> l.progress(job, progress));
  }

  @Override
  public void stalled(String jobId) {
    each(l -> l.stalled(jobId));
  }

  @Override
  public void drained() {
    each(WorkerListener::drained);
  }

  @Override
  public void error(Throwable error) {
    if (listeners.isEmpty()) {
      LOG.log(Level.WARNING, "worker error", error);
    }
    each(l -> l.error(error));
  }
}
