package dev.corral.api.jobs;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/**
 * The workflow ids of the DAG executions a list of jobs belongs to: the distinct {@code dagKey}s of the jobs,
 * each execution record's {@code workflowId} read in one batch of {@code HGET}s (one round trip per page). An
 * execution whose record has expired has none. Thread-safe; stateless.
 */
final class WorkflowIds {

  private WorkflowIds() {}

  /** {@code dagKey} → workflow id, for the jobs of {@code jobs} that are DAG nodes. */
  static Map<String, String> of(BrokerClient broker, List<Job> jobs) {
    Set<String> keys = new LinkedHashSet<>();
    for (Job job : jobs) {
      String dagKey = job.raw().get("dagKey");
      if (dagKey != null && !dagKey.isEmpty()) {
        keys.add(dagKey);
      }
    }
    Map<String, String> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    RBatch batch = broker.redisson().createBatch();
    List<String> ordered = List.copyOf(keys);
    ordered.forEach(k -> batch.<String, String>getMap(k, StringCodec.INSTANCE).getAsync("workflowId"));
    List<?> replies = batch.execute().getResponses();
    for (int i = 0; i < ordered.size(); i++) {
      if (replies.get(i) != null) {
        out.put(ordered.get(i), String.valueOf(replies.get(i)));
      }
    }
    return out;
  }
}
