package dev.corral.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import dev.corral.sdk.BackoffStrategy;
import dev.corral.sdk.UnrecoverableJobException;
import java.util.function.DoubleSupplier;

/**
 * What to do after a failed attempt, decided as BullMQ 6.7.0's worker decides it (retry decision and backoff
 * are made in the client, not in Lua). Pure: no I/O; randomness injected.
 *
 * @param kind fail for good, retry at once, or retry after a delay
 * @param delayMs the delay for {@link Kind#RETRY_DELAYED}
 * @param failureOverride a failure message replacing the processor's (unknown backoff type), or null
 */
public record RetryPlan(Kind kind, long delayMs, String failureOverride) {

  /** The three outcomes. */
  public enum Kind {
    FAIL,
    RETRY_NOW,
    RETRY_DELAYED
  }

  private static final RetryPlan FAIL = new RetryPlan(Kind.FAIL, 0, null);

  /**
   * Decides for {@code job} (its attemptsMade is the count before this failure) after {@code error}.
   *
   * @param custom the worker's strategy for custom backoff types, or null
   * @param random uniform numbers in [0, 1) for jitter
   */
  public static RetryPlan decide(Job job, Throwable error, BackoffStrategy custom, DoubleSupplier random) {
    return decide(job, error, custom, random, 0);
  }

  /**
   * As {@link #decide(Job, Throwable, BackoffStrategy, DoubleSupplier)}; a job started {@code maxStartedAttempts}
   * times or more (its {@code ats}; 0 for no limit) is not retried whatever attempts it has left.
   */
  public static RetryPlan decide(Job job, Throwable error, BackoffStrategy custom, DoubleSupplier random,
      int maxStartedAttempts) {
    if (error instanceof UnrecoverableJobException) {
      return FAIL;
    }
    if (maxStartedAttempts > 0 && job.attemptsStarted() >= maxStartedAttempts) {
      return FAIL;
    }
    int attempts = Math.max(1, job.attempts());
    int attemptsMade = job.attemptsMade() + 1;
    if (attemptsMade >= attempts) {
      return FAIL;
    }
    JsonNode backoff = job.opts() == null ? null : job.opts().get("backoff");
    if (backoff == null || backoff.isNull()) {
      return new RetryPlan(Kind.RETRY_NOW, 0, null);
    }
    long delay;
    if (backoff.isNumber()) {
      delay = backoff.asLong();
    } else {
      String type = backoff.path("type").asText("fixed");
      long base = backoff.path("delay").asLong(0);
      double jitter = backoff.path("jitter").asDouble(0);
      switch (type) {
        case "fixed" -> delay = fixed(base, jitter, random);
        case "exponential" -> delay = exponential(base, jitter, attemptsMade, random);
        default -> {
          if (custom == null) {
            return new RetryPlan(Kind.FAIL, 0, "Unknown backoff strategy " + type
                + ". If a custom backoff strategy is used, specify it when the Worker is created.");
          }
          delay = custom.delayFor(attemptsMade, type, base, error, job);
        }
      }
    }
    if (delay < 0) {
      return FAIL;
    }
    return delay == 0 ? new RetryPlan(Kind.RETRY_NOW, 0, null) : new RetryPlan(Kind.RETRY_DELAYED, delay, null);
  }

  /** {@code delay}, or with jitter a value in {@code [delay*(1-jitter), delay]}. */
  static long fixed(long delay, double jitter, DoubleSupplier random) {
    if (jitter > 0) {
      double min = delay * (1 - jitter);
      return (long) Math.floor(random.getAsDouble() * delay * jitter + min);
    }
    return delay;
  }

  /** {@code round(2^(attemptsMade-1) * delay)}, or with jitter a value in {@code [max*(1-jitter), max]}. */
  static long exponential(long delay, double jitter, int attemptsMade, DoubleSupplier random) {
    long max = Math.round(Math.pow(2, attemptsMade - 1) * delay);
    if (jitter > 0) {
      double min = max * (1 - jitter);
      return (long) Math.floor(random.getAsDouble() * max * jitter + min);
    }
    return max;
  }
}
