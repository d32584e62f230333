package dev.corral.api.jobs;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import java.util.Optional;
import org.redisson.api.RBucket;
import org.redisson.client.codec.StringCodec;

/**
 * Job idempotency keys: the key {@code <p>:<queue>:idem:<sha256(key)>} (a string holding the job id, no
 * expiry) maps an idempotency key to the job added with it. The key is hashed, so it cannot end in a suffix
 * dashboards use to discover queues ({@code meta}, ...); it lives under the queue, so obliterating the queue
 * removes it.
 *
 * <p>Adding with a key (see docs/api.md): if the mapping exists, answer its job id and add nothing; else add the
 * job with a deterministic id (the request's {@code job_id}, or {@link AddJobRequest#derivedJobId}) — a
 * second add with an existing custom id changes nothing, atomically in the add script — then
 * {@code SET NX} the mapping: the request that sets it answers 201, the others 200 with the stored id. So
 * concurrent requests with one key store one job. Thread-safe.
 */
public final class IdempotencyKeys {

  private final BrokerClient broker;

  /** Keys on the Redis behind {@code broker}. */
  public IdempotencyKeys(BrokerClient broker) {
    this.broker = broker;
  }

  /**
   * The outcome of an add.
   *
   * @param jobId the job id
   * @param created whether this request added the job (201) rather than finding it (200)
   */
  public record Added(String jobId, boolean created) {}

  /** The mapping key of {@code key} in {@code queue}. */
  public static String mappingKey(Queue queue, String key) {
    return queue.keys().base() + "idem:" + AddJobRequest.sha256(key);
  }

  /** The job id stored for {@code key} in {@code queue}. */
  public Optional<String> find(Queue queue, String key) {
    return Optional.ofNullable(bucket(queue, key).get());
  }

  /** Adds {@code request} (which has an idempotency key) once per key. */
  public Added add(Queue queue, AddJobRequest request) {
    RBucket<String> mapping = bucket(queue, request.idempotencyKey());
    String existing = mapping.get();
    if (existing != null) {
      return new Added(existing, false);
    }
    String jobId = request.options().jobId() != null ? request.options().jobId()
        : AddJobRequest.derivedJobId(request.idempotencyKey());
    dev.corral.broker.JobOptions options = withJobId(request.options(), jobId);
    String added = queue.add(request.name(), request.data(), options);
    if (mapping.setIfAbsent(added)) {
      return new Added(added, true);
    }
    return new Added(mapping.get(), false);
  }

  private RBucket<String> bucket(Queue queue, String key) {
    return broker.redisson().getBucket(mappingKey(queue, key), StringCodec.INSTANCE);
  }

  private static dev.corral.broker.JobOptions withJobId(dev.corral.broker.JobOptions o, String jobId) {
    return new dev.corral.broker.JobOptions(jobId, o.delay(), o.priority(), o.lifo(), o.attempts(), o.backoff(),
        o.removeOnComplete(), o.removeOnFail(), o.keepLogs(), o.stackTraceLimit(), o.sizeLimit(), o.deduplication(),
        o.timestamp(), o.parentFailurePolicy(), o.parent());
  }
}
