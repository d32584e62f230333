package dev.corral.broker.lifecycle;

import dev.corral.broker.support.Checks;

/**
 * What a worker passes when it asks for a job: its lock token for that job, lock duration, optional rate
 * limit, and name (stored as {@code pb}).
 *
 * @param token the lock token for the job to take ("0" means no lock; avoid)
 * @param lockDurationMs how long the lock lasts before it must be renewed
 * @param limiterMax jobs per window for this worker, 0 for none
 * @param limiterDurationMs the window in ms, 0 for none
 * @param workerName the worker's name, or "" for none
 */
public record FetchRequest(String token, long lockDurationMs, int limiterMax, long limiterDurationMs,
    String workerName) {

  /** Validates the request. */
  public FetchRequest {
    Checks.notEmpty(token, "token");
    Checks.atLeast(lockDurationMs, 1, "lockDurationMs");
    Checks.atLeast(limiterMax, 0, "limiterMax");
    Checks.atLeast(limiterDurationMs, 0, "limiterDurationMs");
    workerName = workerName == null ? "" : workerName;
  }

  /** The fetch-next ARGV of a finishing script for {@code request}, or placeholders when it is null (none asked). */
  static Object[] argsOrNone(FetchRequest request) {
    return request == null ? new Object[] {"0", "0", "0", "0", ""} : request.args();
  }

  Object[] args() {
    return new Object[] {String.valueOf(lockDurationMs), String.valueOf(limiterMax),
        String.valueOf(limiterDurationMs), token, workerName};
  }
}
