package dev.corral.broker.dag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Reads for a processor of DAG nodes in one queue: its dependencies' outcomes by node id, and whether its
 * execution still runs. A node job carries {@code dagKey} ({@code <p>:dag:<execId>}) and {@code dagNode}
 * (its node id) in its hash (docs/dag.md).
 *
 * <p>Thread-safe.
 */
public final class DagNodeReads {

  private final ScriptRunner scripts;
  private final RedissonClient redis;
  private final QueueKeys keys;

  /** Reads for DAG nodes in the queue {@code keys}. */
  public DagNodeReads(BrokerClient client, QueueKeys keys) {
    Checks.notNull(client, "client");
    this.scripts = client.scripts();
    this.redis = client.redisson();
    this.keys = Checks.notNull(keys, "keys");
  }

  /**
   * The return values of the node's completed dependencies and the failed reasons of those that failed
   * under {@code continue}, by node id: one script call ({@code dagDependencies}). Empty for a job that is
   * not a DAG node or is gone.
   */
  public DependencyOutcomes dependencies(String jobId) {
    Checks.notEmpty(jobId, "jobId");
    List<Object> reply = scripts.run(Command.DAG_DEPENDENCIES, keys.base(), jobId);
    if (reply.isEmpty()) {
      return DependencyOutcomes.NONE;
    }
    Map<String, JsonNode> results = new HashMap<>();
    List<?> flat = (List<?>) reply.get(0);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      results.put(String.valueOf(flat.get(i)), Json.parseLenient(String.valueOf(flat.get(i + 1))));
    }
    return new DependencyOutcomes(results, DagExecutions.flatToMap((List<?>) reply.get(1)));
  }

  /**
   * Whether the execution {@code dagKey} (a node job's {@code dagKey} field) is still running; false when it
   * failed, was cancelled, ended or expired.
   */
  public boolean executionRunning(String dagKey) {
    Checks.notEmpty(dagKey, "dagKey");
    Object status = redis.getMap(dagKey, StringCodec.INSTANCE).get("status");
    return ExecutionStatus.RUNNING.wireName().equals(status);
  }
}
