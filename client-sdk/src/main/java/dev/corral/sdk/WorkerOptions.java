package dev.corral.sdk;

import dev.corral.broker.KeepJobs;
import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.WorkerIds;
import java.time.Duration;

/**
 * Options of a {@link Worker}, with BullMQ's defaults. Build with {@link #builder()}; validated in
 * {@link Builder#build()}. Immutable; thread-safe.
 *
 * @param prefix key prefix ({@code bull})
 * @param name worker name, shown by BullMQ's getWorkers and stored as {@code pb}; null for none
 * @param concurrency jobs processed at once (1)
 * @param lockDuration how long a job's lock lasts (30 s)
 * @param lockRenewTime how often locks are renewed (lockDuration / 2)
 * @param stalledInterval how often the stalled check runs (30 s)
 * @param maxStalledCount recoveries before a stalled job is failed (1)
 * @param drainDelay how long an idle worker blocks waiting for jobs, whole seconds 1..10 (5 s)
 * @param limiterMax jobs per {@code limiterDuration} for this worker, 0 for no limit
 * @param limiterDuration the rate limit window
 * @param maximumRateLimitDelay longest wait when the queue is rate limited (30 s)
 * @param removeOnComplete default keep policy for completed jobs without their own (null keeps all)
 * @param removeOnFail default keep policy for failed jobs without their own (null keeps all)
 * @param autorun start processing at once when created
 * @param skipStalledCheck do not run the stalled check from this worker
 * @param backoffStrategy delays for custom backoff types, or null
 * @param workerId the worker's unique id in the registry and the prefix of its lock tokens
 *     ({@code [A-Za-z0-9._-]{1,128}}); null to generate one (a UUID)
 * @param registry registration, heartbeats and remote commands (on by default)
 * @param maxStartedAttempts how many times a job may be started (moved to active) before it is failed for good
 *     without running the processor, and retries stop once it is reached (BullMQ's {@code maxStartedAttempts};
 *     0, the default, for no limit)
 * @param metricsMaxDataPoints collect BullMQ's worker metrics at every finish, keeping at most this many
 *     per-minute data points (BullMQ's {@code metrics: {maxDataPoints}}; 0, the default, for no metrics)
 */
public record WorkerOptions(
    String prefix,
    String name,
    int concurrency,
    Duration lockDuration,
    Duration lockRenewTime,
    Duration stalledInterval,
    int maxStalledCount,
    Duration drainDelay,
    int limiterMax,
    Duration limiterDuration,
    Duration maximumRateLimitDelay,
    KeepJobs removeOnComplete,
    KeepJobs removeOnFail,
    boolean autorun,
    boolean skipStalledCheck,
    BackoffStrategy backoffStrategy,
    String workerId,
    RegistryOptions registry,
    int maxStartedAttempts,
    int metricsMaxDataPoints) {

  /** Highest concurrency accepted. */
  public static final int MAX_CONCURRENCY = 10_000;

  /** One week of per-minute metrics data points (BullMQ's {@code MetricsTime.ONE_WEEK}). */
  public static final int METRICS_ONE_WEEK = 60 * 24 * 7;

  /**
   * Most metrics data points accepted: one year of minutes. A finish after a long quiet spell pushes up to
   * that many points in one script call, which blocks Redis meanwhile; BullMQ sets no bound.
   */
  public static final int MAX_METRICS_DATA_POINTS = 60 * 24 * 365;

  /** BullMQ's defaults. */
  public static WorkerOptions defaults() {
    return builder().build();
  }

  /** A builder with BullMQ's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link WorkerOptions}. Not thread-safe. */
  public static final class Builder {
    private String prefix = QueueKeys.DEFAULT_PREFIX;
    private String name;
    private int concurrency = 1;
    private Duration lockDuration = Duration.ofSeconds(30);
    private Duration lockRenewTime;
    private Duration stalledInterval = Duration.ofSeconds(30);
    private int maxStalledCount = 1;
    private Duration drainDelay = Duration.ofSeconds(5);
    private int limiterMax;
    private Duration limiterDuration = Duration.ZERO;
    private Duration maximumRateLimitDelay = Duration.ofSeconds(30);
    private KeepJobs removeOnComplete;
    private KeepJobs removeOnFail;
    private boolean autorun = true;
    private boolean skipStalledCheck;
    private BackoffStrategy backoffStrategy;
    private String workerId;
    private RegistryOptions registry = RegistryOptions.defaults();
    private int maxStartedAttempts;
    private int metricsMaxDataPoints;

    private Builder() {}

    /** The worker's id (null: generated). */
    public Builder workerId(String value) {
      this.workerId = value;
      return this;
    }

    /** Registry membership ({@link RegistryOptions#disabled()} to opt out). */
    public Builder registry(RegistryOptions value) {
      this.registry = value;
      return this;
    }

    public Builder prefix(String value) {
      this.prefix = value;
      return this;
    }

    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    public Builder lockDuration(Duration value) {
      this.lockDuration = value;
      return this;
    }

    public Builder lockRenewTime(Duration value) {
      this.lockRenewTime = value;
      return this;
    }

    public Builder stalledInterval(Duration value) {
      this.stalledInterval = value;
      return this;
    }

    public Builder maxStalledCount(int value) {
      this.maxStalledCount = value;
      return this;
    }

    public Builder drainDelay(Duration value) {
      this.drainDelay = value;
      return this;
    }

    /** At most {@code max} jobs per {@code duration} for this worker. */
    public Builder limiter(int max, Duration duration) {
      this.limiterMax = max;
      this.limiterDuration = duration;
      return this;
    }

    public Builder maximumRateLimitDelay(Duration value) {
      this.maximumRateLimitDelay = value;
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

    public Builder autorun(boolean value) {
      this.autorun = value;
      return this;
    }

    public Builder skipStalledCheck(boolean value) {
      this.skipStalledCheck = value;
      return this;
    }

    public Builder backoffStrategy(BackoffStrategy value) {
      this.backoffStrategy = value;
      return this;
    }

    /** Most times a job may be started (0: no limit). */
    public Builder maxStartedAttempts(int value) {
      this.maxStartedAttempts = value;
      return this;
    }

    /**
     * Collects worker metrics, keeping {@code maxDataPoints} per-minute points (e.g. {@link #METRICS_ONE_WEEK});
     * 0 turns them off.
     */
    public Builder metrics(int maxDataPoints) {
      this.metricsMaxDataPoints = maxDataPoints;
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException naming the field: concurrency outside 1..10000, a lock duration below
     *     1 ms, lockRenewTime not below lockDuration, a stalled interval below 1 ms, a negative
     *     maxStalledCount, a drain delay outside 1..10 s, a limiter with max below 1 or a window below 1 ms, a
     *     negative maxStartedAttempts, metrics data points outside 0..{@value #MAX_METRICS_DATA_POINTS}
     */
    public WorkerOptions build() {
      Checks.isTrue(prefix != null && !prefix.isEmpty(), "prefix cannot be empty");
      Checks.isTrue(name == null || (!name.isEmpty() && name.chars().noneMatch(c -> c <= ' ')),
          "name cannot be empty or contain spaces or control characters, was '%s'", name);
      Checks.isTrue(concurrency >= 1 && concurrency <= MAX_CONCURRENCY, "concurrency must be between 1 and %d, was %d",
          MAX_CONCURRENCY, concurrency);
      Checks.isTrue(lockDuration != null && lockDuration.toMillis() >= 1, "lockDuration must be >= 1 ms, was %s",
          lockDuration);
      Duration renew = lockRenewTime != null ? lockRenewTime : lockDuration.dividedBy(2);
      Checks.isTrue(renew.toMillis() >= 1 && renew.compareTo(lockDuration) < 0,
          "lockRenewTime must be >= 1 ms and below lockDuration (%s), was %s", lockDuration, renew);
      Checks.isTrue(stalledInterval != null && stalledInterval.toMillis() >= 1, "stalledInterval must be >= 1 ms, was %s",
          stalledInterval);
      Checks.isTrue(maxStalledCount >= 0, "maxStalledCount must be greater or equal than 0, was %d", maxStalledCount);
      Checks.isTrue(drainDelay != null && drainDelay.toSeconds() >= 1 && drainDelay.toSeconds() <= 10,
          "drainDelay must be between 1 and 10 seconds, was %s", drainDelay);
      if (limiterMax != 0 || (limiterDuration != null && !limiterDuration.isZero())) {
        Checks.isTrue(limiterMax >= 1, "limiter.max must be >= 1, was %d", limiterMax);
        Checks.isTrue(limiterDuration != null && limiterDuration.toMillis() >= 1, "limiter.duration must be >= 1 ms, was %s",
            limiterDuration);
      }
      Checks.isTrue(maximumRateLimitDelay != null && !maximumRateLimitDelay.isNegative(),
          "maximumRateLimitDelay must be >= 0, was %s", maximumRateLimitDelay);
      Checks.isTrue(maxStartedAttempts >= 0, "maxStartedAttempts must be greater or equal than 0, was %d",
          maxStartedAttempts);
      Checks.isTrue(metricsMaxDataPoints >= 0 && metricsMaxDataPoints <= MAX_METRICS_DATA_POINTS,
          "metrics.maxDataPoints must be between 0 and %d, was %d", MAX_METRICS_DATA_POINTS, metricsMaxDataPoints);
      return new WorkerOptions(prefix, name, concurrency, lockDuration, renew, stalledInterval, maxStalledCount,
          drainDelay, limiterMax, limiterDuration == null ? Duration.ZERO : limiterDuration, maximumRateLimitDelay,
          removeOnComplete, removeOnFail, autorun, skipStalledCheck, backoffStrategy,
          workerId == null ? null : WorkerIds.validate(workerId), Checks.notNull(registry, "registry"),
          maxStartedAttempts, metricsMaxDataPoints);
    }
  }
}
