package dev.corral.api.schemas;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RMap;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The schemas in Redis (keys: {@link SchemaKeys}): put, get, delete, list, and the cheap per-submission read
 * of the versions of a few job names. A put or delete changes both hashes in one MULTI/EXEC, so a reader never
 * sees a version without its document. Thread-safe.
 */
public final class SchemaStore {

  private final RedissonClient redisson;
  private final SchemaKeys keys;

  /** The store under {@code keys} on {@code redisson}. */
  public SchemaStore(RedissonClient redisson, SchemaKeys keys) {
    this.redisson = redisson;
    this.keys = keys;
  }

  /** The keys used. */
  public SchemaKeys keys() {
    return keys;
  }

  /**
   * Stores {@code document} (compact JSON) as the schema of {@code jobName}, replacing any earlier one.
   *
   * @return {@code true} when the job name had no schema before
   */
  public boolean put(String jobName, String document, SchemaInfo info) {
    RBatch batch = atomicBatch();
    RFuture<Boolean> created = documentsAsync(batch).fastPutAsync(jobName, document);
    versionsAsync(batch).fastPutAsync(jobName, info.toJson());
    batch.execute();
    return created.toCompletableFuture().join();
  }

  /** The schema of {@code jobName}, if any. */
  public Optional<StoredSchema> get(String jobName) {
    RBatch batch = redisson.createBatch();
    RFuture<String> document = documentsAsync(batch).getAsync(jobName);
    RFuture<String> info = versionsAsync(batch).getAsync(jobName);
    batch.execute();
    String doc = document.toCompletableFuture().join();
    String inf = info.toCompletableFuture().join();
    if (doc == null || inf == null) {
      return Optional.empty();
    }
    return Optional.of(new StoredSchema(jobName, doc, SchemaInfo.fromJson(inf)));
  }

  /**
   * Removes the schema of {@code jobName}.
   *
   * @return {@code true} when there was one
   */
  public boolean delete(String jobName) {
    RBatch batch = atomicBatch();
    RFuture<Long> removed = documentsAsync(batch).fastRemoveAsync(jobName);
    versionsAsync(batch).fastRemoveAsync(jobName);
    batch.execute();
    return removed.toCompletableFuture().join() > 0;
  }

  /** Every job name with a schema and its info, sorted by name. */
  public Map<String, SchemaInfo> list() {
    Map<String, SchemaInfo> out = new TreeMap<>();
    versions().readAllMap().forEach((name, json) -> out.put(name, SchemaInfo.fromJson(json)));
    return out;
  }

  /** The infos of those of {@code jobNames} that have a schema (one HMGET). */
  public Map<String, SchemaInfo> infos(Collection<String> jobNames) {
    Map<String, SchemaInfo> out = new HashMap<>();
    if (!jobNames.isEmpty()) {
      versions().getAll(new HashSet<>(jobNames)).forEach((name, json) -> out.put(name, SchemaInfo.fromJson(json)));
    }
    return out;
  }

  /** The documents of those of {@code jobNames} that have a schema (one HMGET). */
  public Map<String, String> documents(Collection<String> jobNames) {
    if (jobNames.isEmpty()) {
      return Map.of();
    }
    return redisson.<String, String>getMap(keys.documents(), StringCodec.INSTANCE).getAll(new HashSet<>(jobNames));
  }

  private RMap<String, String> versions() {
    return redisson.getMap(keys.versions(), StringCodec.INSTANCE);
  }

  private RMapAsync<String, String> documentsAsync(RBatch batch) {
    return batch.getMap(keys.documents(), StringCodec.INSTANCE);
  }

  private RMapAsync<String, String> versionsAsync(RBatch batch) {
    return batch.getMap(keys.versions(), StringCodec.INSTANCE);
  }

  private RBatch atomicBatch() {
    return redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
  }
}
