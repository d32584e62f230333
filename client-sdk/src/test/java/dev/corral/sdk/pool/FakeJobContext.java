package dev.corral.sdk.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import dev.corral.broker.support.Json;
import dev.corral.sdk.JobContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link JobContext} without Redis: records progress and log lines; cancellation set by the test. */
final class FakeJobContext implements JobContext {

  final List<JsonNode> progress = new CopyOnWriteArrayList<>();
  final List<String> logs = new CopyOnWriteArrayList<>();
  volatile boolean cancelled;
  private final Job job;

  FakeJobContext(String id, String dataJson) {
    this.job = Job.fromHash(id, Map.of("name", "test", "data", dataJson, "opts", "{}", "timestamp", "1"));
  }

  @Override
  public Job job() {
    return job;
  }

  @Override
  public String queueName() {
    return "fake-queue";
  }

  @Override
  public String token() {
    return "token";
  }

  @Override
  public void updateProgress(Object value) {
    progress.add(Json.MAPPER.valueToTree(value));
  }

  @Override
  public void log(String line) {
    logs.add(line);
  }

  @Override
  public Map<String, JsonNode> childrenValues() {
    return Map.of();
  }

  @Override
  public Map<String, String> ignoredChildrenFailures() {
    return Map.of();
  }

  @Override
  public Map<String, JsonNode> dependencyResults() {
    return Map.of();
  }

  @Override
  public Map<String, String> dependencyFailures() {
    return Map.of();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
