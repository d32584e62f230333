package dev.corral.broker.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Reads what a flow parent's children left in its {@code :processed}, {@code :failed}, {@code :unsuccessful}
 * and {@code :dependencies} keys (BullMQ 6.7.0's getChildrenValues, getIgnoredChildrenFailures,
 * getDependencies, getDependenciesCount). Each method reads the keys as they are at the time of the call.
 *
 * <p>Thread-safe.
 */
public final class ParentReads {

  private final RedissonClient redis;
  private final QueueKeys keys;

  /** Reads for parents in the queue {@code keys}. */
  public ParentReads(BrokerClient client, QueueKeys keys) {
    this.redis = Checks.notNull(client, "client").redisson();
    this.keys = Checks.notNull(keys, "keys");
  }

  /** Completed children's return values (JSON), by child key, sorted by key; empty when there are none. */
  public Map<String, JsonNode> childrenValues(String jobId) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    new TreeMap<>(hash(jobId, ":processed")).forEach((k, v) -> values.put(k, Json.parseLenient(v)));
    return values;
  }

  /** Failed reasons of children whose failures the parent ignores (idof / cpof), by child key, sorted by key. */
  public Map<String, String> ignoredChildrenFailures(String jobId) {
    return new LinkedHashMap<>(new TreeMap<>(hash(jobId, ":failed")));
  }

  /** The children by outcome. */
  public Dependencies dependencies(String jobId) {
    String key = jobKey(jobId);
    List<String> pending = new ArrayList<>(redis.<String>getSet(key + ":dependencies", StringCodec.INSTANCE)
        .readAll());
    pending.sort(null);
    List<String> failed = new ArrayList<>(redis.<String>getScoredSortedSet(key + ":unsuccessful",
        StringCodec.INSTANCE).readAll());
    return new Dependencies(childrenValues(jobId), pending, ignoredChildrenFailures(jobId), failed);
  }

  /** How many children are in each outcome. */
  public DependencyCounts dependencyCounts(String jobId) {
    String key = jobKey(jobId);
    return new DependencyCounts(
        redis.getMap(key + ":processed", StringCodec.INSTANCE).size(),
        redis.getSet(key + ":dependencies", StringCodec.INSTANCE).size(),
        redis.getMap(key + ":failed", StringCodec.INSTANCE).size(),
        redis.getScoredSortedSet(key + ":unsuccessful", StringCodec.INSTANCE).size());
  }

  private Map<String, String> hash(String jobId, String suffix) {
    return redis.<String, String>getMap(jobKey(jobId) + suffix, StringCodec.INSTANCE).readAllMap();
  }

  private String jobKey(String jobId) {
    return keys.job(Checks.notEmpty(jobId, "jobId"));
  }
}
