package dev.corral.broker;

import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of one job, validated when built, stored in the job's {@code opts} field with BullMQ 6.7.0's
 * names ({@code de} for deduplication, {@code kl} for keepLogs). Immutable; thread-safe.
 *
 * @param jobId custom job id, or {@code null} for an auto id
 * @param delay ms before the job becomes runnable (0 = none)
 * @param priority 0 (none) or 1..2,097,151; lower runs first
 * @param lifo add at the consuming end of the queue
 * @param attempts total attempts, or {@code null} for BullMQ's default (stored as 0: no retries)
 * @param backoff delay policy between attempts, or {@code null}
 * @param removeOnComplete what to keep of completed jobs, or {@code null} for the worker's default
 * @param removeOnFail what to keep of failed jobs, or {@code null} for the worker's default
 * @param keepLogs keep at most this many log lines, or {@code null} for all
 * @param stackTraceLimit keep at most this many stack traces, or {@code null} for all
 * @param sizeLimit reject data whose JSON is larger than this many bytes, or {@code null}
 * @param deduplication deduplication option, or {@code null}
 * @param timestamp creation time in ms, or {@code null} for now
 * @param parentFailurePolicy what a flow parent does when this child fails for good, or {@code null} for
 *     BullMQ's default (the parent keeps waiting)
 * @param parent an existing job this job is added as a child of ({@code opts.parent}), or {@code null}; not with
 *     deduplication (as BullMQ), and not in flows (a flow node's parent is its flow parent)
 */
public record JobOptions(
    String jobId,
    long delay,
    int priority,
    boolean lifo,
    Integer attempts,
    Backoff backoff,
    KeepJobs removeOnComplete,
    KeepJobs removeOnFail,
    Integer keepLogs,
    Integer stackTraceLimit,
    Integer sizeLimit,
    Deduplication deduplication,
    Long timestamp,
    ParentFailurePolicy parentFailurePolicy,
    JobParent parent) {

  /** Highest priority value BullMQ accepts (2^21 - 1). */
  public static final int MAX_PRIORITY = 2_097_151;

  /** Longest custom job id accepted. */
  public static final int MAX_JOB_ID_LENGTH = 1024;

  private static final JobOptions DEFAULTS = builder().build();
  private static final String DEFAULTS_WIRE_JSON = DEFAULTS.toWire().isEmpty() ? "{}"
      : Json.write(DEFAULTS.toWire(), "opts", "{}");

  /** Validates every field; see {@link Builder#build()}. */
  public JobOptions {
    Checks.isTrue(parent == null || deduplication == null,
        "Deduplication and parent options cannot be used together (deduplication.id '%s', parent.id '%s')",
        deduplication == null ? null : deduplication.id(), parent == null ? null : parent.id());
    if (jobId != null) {
      validateJobId(jobId);
    }
    Checks.atLeast(delay, 0, "delay");
    Checks.inRange(priority, 0, MAX_PRIORITY, "priority");
    if (attempts != null) {
      Checks.atLeast(attempts, 1, "attempts");
    }
    if (keepLogs != null) {
      Checks.atLeast(keepLogs, 1, "keepLogs");
    }
    if (stackTraceLimit != null) {
      Checks.atLeast(stackTraceLimit, 0, "stackTraceLimit");
    }
    if (sizeLimit != null) {
      Checks.atLeast(sizeLimit, 1, "sizeLimit");
    }
    if (timestamp != null) {
      Checks.atLeast(timestamp, 0, "timestamp");
    }
  }

  /** No options: an auto id, no delay, no priority, no retries. */
  public static JobOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with every option unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** The effective number of attempts (at least 1). */
  public int effectiveAttempts() {
    return attempts == null ? 1 : attempts;
  }

  /**
   * Checks a custom job id the way BullMQ does: not {@code "0"}, not starting with {@code "0:"}, not an
   * integer (auto ids are integers), and {@code :} only in the 3-part scheduler form.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static void validateJobId(String jobId) {
    Checks.notEmpty(jobId, "jobId");
    Checks.isTrue(jobId.length() <= MAX_JOB_ID_LENGTH, "jobId must be at most %d characters, was %d",
        MAX_JOB_ID_LENGTH, jobId.length());
    Checks.isTrue(!jobId.equals("0") && !jobId.startsWith("0:"),
        "jobId cannot be '0' or start with '0:', was '%s'", jobId);
    Checks.isTrue(!looksLikeInteger(jobId), "jobId cannot be an integer (Custom Id cannot be integers), was '%s'",
        jobId);
    Checks.isTrue(!jobId.contains(":") || jobId.split(":", -1).length == 3,
        "jobId may contain ':' only in the 3-part scheduler form a:b:c, was '%s'", jobId);
    Checks.isTrue(jobId.chars().noneMatch(Character::isISOControl),
        "jobId cannot contain control characters, was '%s'", jobId);
  }

  /** True for what JavaScript's {@code parseInt(id)} would turn back into the same text. */
  static boolean looksLikeInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
        return false;
      }
    }
    // parseInt("007") is 7, which does not round-trip to "007"
    return s.length() - start == 1 || s.charAt(start) != '0';
  }

  /** The {@code opts} JSON as BullMQ stores it. */
  public String toWireJson() {
    if (this == DEFAULTS) {
      return DEFAULTS_WIRE_JSON; // the common case: skip building and serialising a map per add
    }
    return Json.write(toWire(), "opts", "{}");
  }

  /**
   * The {@code opts} JSON of a flow child, as BullMQ stores it: these options plus
   * {@code "parent":{"id":parentId,"queue":parentQueue}}.
   *
   * @param parentId the parent's job id
   * @param parentQueue the parent's qualified queue name {@code "<prefix>:<queue>"}
   */
  public String toWireJsonWithParent(String parentId, String parentQueue) {
    Map<String, Object> m = toWire();
    Map<String, Object> parent = new LinkedHashMap<>();
    parent.put("id", Checks.notNull(parentId, "parentId"));
    parent.put("queue", Checks.notNull(parentQueue, "parentQueue"));
    m.put("parent", parent);
    return Json.write(m, "opts", "{}");
  }

  /** {@link #toWireJson()}, or with {@code parent} not null {@link #toWireJsonWithParent} for that parent. */
  public String toWireJson(JobParent parent) {
    return parent == null ? toWireJson() : toWireJsonWithParent(parent.id(), parent.queue().qualifiedName());
  }

  Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (jobId != null) {
      m.put("jobId", jobId);
    }
    if (delay > 0) {
      m.put("delay", delay);
    }
    if (priority > 0) {
      m.put("priority", priority);
    }
    if (lifo) {
      m.put("lifo", true);
    }
    if (backoff != null) {
      m.put("backoff", backoff.toWire());
    }
    if (removeOnComplete != null) {
      m.put("removeOnComplete", removeOnComplete.wire());
    }
    if (removeOnFail != null) {
      m.put("removeOnFail", removeOnFail.wire());
    }
    if (keepLogs != null) {
      m.put("kl", keepLogs);
    }
    if (stackTraceLimit != null) {
      m.put("stackTraceLimit", stackTraceLimit);
    }
    if (sizeLimit != null) {
      m.put("sizeLimit", sizeLimit);
    }
    if (deduplication != null) {
      m.put("de", deduplication.toWire());
    }
    if (timestamp != null) {
      m.put("timestamp", timestamp);
    }
    if (parentFailurePolicy != null) {
      m.put(parentFailurePolicy.wireKey(), true);
    }
    m.put("attempts", attempts == null ? 0 : attempts);
    return m;
  }

  /** Builder for {@link JobOptions}; all validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String jobId;
    private long delay;
    private int priority;
    private boolean lifo;
    private Integer attempts;
    private Backoff backoff;
    private KeepJobs removeOnComplete;
    private KeepJobs removeOnFail;
    private Integer keepLogs;
    private Integer stackTraceLimit;
    private Integer sizeLimit;
    private Deduplication deduplication;
    private Long timestamp;
    private JobParent parent;
    private final java.util.EnumSet<ParentFailurePolicy> parentFailurePolicies =
        java.util.EnumSet.noneOf(ParentFailurePolicy.class);

    private Builder() {}

    public Builder jobId(String value) {
      this.jobId = value;
      return this;
    }

    public Builder delay(long ms) {
      this.delay = ms;
      return this;
    }

    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    public Builder lifo(boolean value) {
      this.lifo = value;
      return this;
    }

    public Builder attempts(int value) {
      this.attempts = value;
      return this;
    }

    public Builder backoff(Backoff value) {
      this.backoff = value;
      return this;
    }

    public Builder removeOnComplete(KeepJobs value) {
      this.removeOnComplete = value;
      return this;
    }

    public Builder removeOnFail(KeepJobs value) {
      this.removeOnFail = value;
      return this;
    }

    public Builder keepLogs(int value) {
      this.keepLogs = value;
      return this;
    }

    public Builder stackTraceLimit(int value) {
      this.stackTraceLimit = value;
      return this;
    }

    public Builder sizeLimit(int bytes) {
      this.sizeLimit = bytes;
      return this;
    }

    public Builder deduplication(Deduplication value) {
      this.deduplication = value;
      return this;
    }

    public Builder timestamp(long ms) {
      this.timestamp = ms;
      return this;
    }

    /** {@code failParentOnFailure}: see {@link ParentFailurePolicy#FAIL_PARENT}. */
    public Builder failParentOnFailure(boolean value) {
      return policy(ParentFailurePolicy.FAIL_PARENT, value);
    }

    /** {@code continueParentOnFailure}: see {@link ParentFailurePolicy#CONTINUE_PARENT}. */
    public Builder continueParentOnFailure(boolean value) {
      return policy(ParentFailurePolicy.CONTINUE_PARENT, value);
    }

    /** {@code ignoreDependencyOnFailure}: see {@link ParentFailurePolicy#IGNORE_DEPENDENCY}. */
    public Builder ignoreDependencyOnFailure(boolean value) {
      return policy(ParentFailurePolicy.IGNORE_DEPENDENCY, value);
    }

    /** {@code removeDependencyOnFailure}: see {@link ParentFailurePolicy#REMOVE_DEPENDENCY}. */
    public Builder removeDependencyOnFailure(boolean value) {
      return policy(ParentFailurePolicy.REMOVE_DEPENDENCY, value);
    }

    /** Adds the job as a child of the existing job {@code value} (null: none). */
    public Builder parent(JobParent value) {
      this.parent = value;
      return this;
    }

    /** Sets one of the four parent failure options ({@code null} clears them all). */
    public Builder parentFailurePolicy(ParentFailurePolicy value) {
      parentFailurePolicies.clear();
      if (value != null) {
        parentFailurePolicies.add(value);
      }
      return this;
    }

    private Builder policy(ParentFailurePolicy policy, boolean on) {
      if (on) {
        parentFailurePolicies.add(policy);
      } else {
        parentFailurePolicies.remove(policy);
      }
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException naming the field and the value, for: a custom id that is empty,
     *     an integer, {@code "0"} or has a bad {@code :}; a negative delay; a priority outside
     *     0..2,097,151; attempts below 1; keepLogs below 1; a negative stackTraceLimit or timestamp; more
     *     than one of failParentOnFailure, continueParentOnFailure, ignoreDependencyOnFailure and
     *     removeDependencyOnFailure (they are mutually exclusive, as in BullMQ)
     */
    public JobOptions build() {
      if (parentFailurePolicies.size() > 1) {
        throw new IllegalArgumentException(String.join(" and ", parentFailurePolicies.stream()
            .map(ParentFailurePolicy::optionName).toList()) + " are mutually exclusive: set at most one of them");
      }
      ParentFailurePolicy policy = parentFailurePolicies.isEmpty() ? null : parentFailurePolicies.iterator().next();
      return new JobOptions(jobId, delay, priority, lifo, attempts, backoff, removeOnComplete, removeOnFail,
          keepLogs, stackTraceLimit, sizeLimit, deduplication, timestamp, policy, parent);
    }
  }
}
