package dev.corral.sdk.internal;

import dev.corral.broker.Job;
import dev.corral.broker.support.Json;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.sdk.JobContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiConsumer;

/** The {@link JobContext} of one attempt. Thread-safe. */
public final class JobContextImpl implements JobContext {

  private final Job job;
  private final ActiveJob active;
  private final JobLifecycle lifecycle;
  private final BiConsumer<Job, Object> progressListener;

  /** A context for {@code job} held as {@code active}. */
  public JobContextImpl(Job job, ActiveJob active, JobLifecycle lifecycle, BiConsumer<Job, Object> progressListener) {
    this.job = job;
    this.active = active;
    this.lifecycle = lifecycle;
    this.progressListener = progressListener;
  }

  @Override
  public Job job() {
    return job;
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
  public boolean isCancelled() {
    return active.cancelled();
  }
}
