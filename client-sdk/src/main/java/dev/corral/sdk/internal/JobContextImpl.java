package dev.corral.sdk.internal;

import dev.corral.broker.Job;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import dev.corral.broker.dag.DependencyOutcomes;
import dev.corral.broker.support.Json;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.StuckRecorder;
import dev.corral.broker.workers.StuckReason;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/** The {@link JobContext} of one attempt. Thread-safe. */
public final class JobContextImpl implements JobContext {

  private final Job job;
  private final ActiveJob active;
  private final JobLifecycle lifecycle;
  private final BiConsumer<Job, Object> progressListener;
  private final StuckRecorder stuck;
  private final ReentrantLock dependenciesLock = new ReentrantLock();
  private volatile DependencyOutcomes dependencies;

  /** A context for {@code job} held as {@code active}. */
  public JobContextImpl(Job job, ActiveJob active, JobLifecycle lifecycle, BiConsumer<Job, Object> progressListener) {
    this(job, active, lifecycle, progressListener, null);
  }

  /** A context whose {@link #reportStuck} goes to {@code stuck} (null: ignored). */
  public JobContextImpl(Job job, ActiveJob active, JobLifecycle lifecycle, BiConsumer<Job, Object> progressListener,
      StuckRecorder stuck) {
    this.stuck = stuck;
    this.job = job;
    this.active = active;
    this.lifecycle = lifecycle;
    this.progressListener = progressListener;
  }

  @Override
  public void reportStuck(StuckReason reason, String detail) {
    if (stuck != null) {
      stuck.record(job, reason, detail);
    }
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public boolean moveToWaitingChildren() {
    return moveOut(null);
  }

  @Override
  public boolean moveToWaitingChildren(String childQueue, String childJobId) {
    QueueKeys child = new QueueKeys(lifecycle.keys().prefix(), childQueue);
    return moveOut(child.job(Checks.notEmpty(childJobId, "childJobId")));
  }

  private boolean moveOut(String childKey) {
    boolean moved = lifecycle.moveToWaitingChildren(job.id(), active.token(), childKey);
    if (moved) {
      active.markMovedToWaitingChildren();
    }
    return moved;
  }

  @Override
  public String queueName() {
    return lifecycle.keys().queueName();
  }

  @Override
  public String token() {
    return active.token();
  }

  @Override
  public void updateProgress(Object progress) {
    if (progress == null) {
      throw new IllegalArgumentException("progress cannot be null");
    }
    lifecycle.updateProgress(job.id(), Json.write(progress, "progress", "null"));
    progressListener.accept(job, progress);
  }

  @Override
  public void log(String line) {
    if (line == null) {
      throw new IllegalArgumentException("line cannot be null");
    }
    lifecycle.addLog(job.id(), line);
  }

  @Override
  public Map<String, JsonNode> childrenValues() {
    return lifecycle.parents().childrenValues(job.id());
  }

  @Override
  public Map<String, String> ignoredChildrenFailures() {
    return lifecycle.parents().ignoredChildrenFailures(job.id());
  }

  @Override
  public Map<String, JsonNode> dependencyResults() {
    return dependencies().results();
  }

  @Override
  public Map<String, String> dependencyFailures() {
    return dependencies().failures();
  }

  private DependencyOutcomes dependencies() {
    DependencyOutcomes read = dependencies;
    if (read != null) {
      return read;
    }
    if (job.raw().get("dagKey") == null) {
      return DependencyOutcomes.NONE;
    }
    dependenciesLock.lock(); // not synchronized: a virtual thread must not pin its carrier on Redis I/O
    try {
      if (dependencies == null) {
        dependencies = lifecycle.dagNodes().dependencies(job.id());
      }
      return dependencies;
    } finally {
      dependenciesLock.unlock();
    }
  }

  @Override
  public boolean isCancelled() {
    return active.cancelled();
  }
}
