package dev.corral.broker.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Names of every Redis key of one queue, laid out exactly as BullMQ 6.7.0 lays them out:
 * {@code "<prefix>:<queue>:<suffix>"} for queue keys and {@code "<prefix>:<queue>:<jobId>"} for job hashes.
 *
 * <p>Pure and immutable; thread-safe. The queue name and prefix are validated on construction.
 *
 * @param prefix the key prefix, {@code bull} by default
 * @param queueName the queue name (no {@code :})
 */
public record QueueKeys(String prefix, String queueName) {

  /** BullMQ's default key prefix. */
  public static final String DEFAULT_PREFIX = "bull";

  /** Longest queue name accepted; keeps keys and client names readable and bounded. */
  public static final int MAX_QUEUE_NAME_LENGTH = 256;

  /**
   * Validates and creates the key set.
   *
   * @throws IllegalArgumentException when the prefix or queue name is empty, too long or contains {@code :}
   */
  public QueueKeys {
    validateQueueName(queueName);
    validatePrefix(prefix);
  }

  /** Keys of {@code queueName} under the default prefix {@code bull}. */
  public static QueueKeys of(String queueName) {
    return new QueueKeys(DEFAULT_PREFIX, queueName);
  }

  /**
   * Checks a queue name the way BullMQ does (no {@code :}), and also rejects empty, blank, overlong names
   * and control characters.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  public static void validateQueueName(String queueName) {
    if (queueName == null) {
      throw new IllegalArgumentException("queueName cannot be null");
    }
    if (queueName.isBlank()) {
      throw new IllegalArgumentException("queueName cannot be empty, was '" + queueName + "'");
    }
    if (queueName.contains(":")) {
      throw new IllegalArgumentException("queueName cannot contain ':', was '" + queueName + "'");
    }
    if (queueName.length() > MAX_QUEUE_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "queueName must be at most " + MAX_QUEUE_NAME_LENGTH + " characters, was " + queueName.length());
    }
    if (queueName.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("queueName cannot contain control characters, was '" + queueName + "'");
    }
  }

  /**
   * Checks a key prefix (not empty, no control characters): the rule for queue prefixes, and for the DAG and
   * worker-registry prefixes built on them.
   *
   * @throws IllegalArgumentException naming the field and the value
   */
  public static void validatePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix cannot be empty");
    }
    if (prefix.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("prefix cannot contain control characters, was '" + prefix + "'");
    }
  }

  /** {@code "<prefix>:<queue>"}: the qualified name flows use to point at a parent's queue. */
  public String qualifiedName() {
    return prefix + ":" + queueName;
  }

  /** {@code "<prefix>:<queue>:"}: what every key of this queue starts with (passed to the scripts as KEYS[1]). */
  public String base() {
    return prefix + ":" + queueName + ":";
  }

  /** A queue-level key, e.g. {@code key("wait")}. */
  public String key(String suffix) {
    return base() + Objects.requireNonNull(suffix, "suffix");
  }

  /** The job hash {@code P<jobId>}. */
  public String job(String jobId) {
    return base() + jobId;
  }

  /** The job's lock key {@code P<jobId>:lock}. */
  public String lock(String jobId) {
    return job(jobId) + ":lock";
  }

  /** The job's log list {@code P<jobId>:logs}. */
  public String logs(String jobId) {
    return job(jobId) + ":logs";
  }

  public String waitList() {
    return key("wait");
  }

  public String active() {
    return key("active");
  }

  public String prioritized() {
    return key("prioritized");
  }

  public String delayed() {
    return key("delayed");
  }

  public String completed() {
    return key("completed");
  }

  public String failed() {
    return key("failed");
  }

  public String waitingChildren() {
    return key("waiting-children");
  }

  public String meta() {
    return key("meta");
  }

  public String events() {
    return key("events");
  }

  public String marker() {
    return key("marker");
  }

  public String id() {
    return key("id");
  }

  public String stalled() {
    return key("stalled");
  }

  public String stalledCheck() {
    return key("stalled-check");
  }

  public String limiter() {
    return key("limiter");
  }

  /** {@code P de:<dedupId>}. */
  public String dedup(String dedupId) {
    return key("de:" + dedupId);
  }

  /** {@code P dn:<dedupId>}: the add a keepLastIfActive deduplication keeps to run after the active owner. */
  public String dedupNext(String dedupId) {
    return key("dn:" + dedupId);
  }

  /**
   * The connection name BullMQ uses to list workers: {@code "<prefix>:<base64(queue)>"}, plus
   * {@code ":w:<workerName>"} when the worker has a name.
   */
  public String workerClientName(String workerName) {
    String b64 = Base64.getEncoder().encodeToString(queueName.getBytes(StandardCharsets.UTF_8));
    String base = prefix + ":" + b64;
    return workerName == null || workerName.isEmpty() ? base : base + ":w:" + workerName;
  }

  /** The connection name of a QueueEvents reader: {@code "<prefix>:<base64(queue)>:qe"}. */
  public String queueEventsClientName() {
    return workerClientName(null) + ":qe";
  }
}
