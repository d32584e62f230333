package dev.corral.broker.lifecycle;

import dev.corral.broker.Job;
import java.util.List;

/**
 * The outcome of asking for a job.
 *
 * @param job the job now active and locked for the caller, or null
 * @param rateLimitTtlMs when > 0 the queue is rate limited for this many ms
 * @param nextDelayedDueMs when > 0 the due time of the next delayed job
 */
public record FetchResult(Job job, long rateLimitTtlMs, long nextDelayedDueMs) {

  /** No job, no limit, nothing delayed. */
  public static final FetchResult EMPTY = new FetchResult(null, 0, 0);

  /** Decodes the script tuple {@code {hash|0, id|0, ttl, nextDelayed}}. */
  static FetchResult decode(List<?> tuple) {
    Object hash = tuple.get(0);
    Job job = hash instanceof List<?> flat ? Job.fromFlatHash(String.valueOf(tuple.get(1)), flat) : null;
    return new FetchResult(job, toLong(tuple.get(2)), toLong(tuple.get(3)));
  }

  private static long toLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(String.valueOf(o));
  }
}
