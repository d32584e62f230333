package dev.corral.sdk.internal;

/**
 * The heartbeat schedule of one worker, without I/O: when the next heartbeat is due, whether the worker must
 * (re-)register first, and the counters (heartbeats sent, failures in a row and in total). A failed heartbeat
 * is retried sooner than the interval (250 ms, doubling, at most the interval), so a short outage costs
 * little; a heartbeat that finds the worker unregistered (swept while unreachable) registers again.
 *
 * <p>Driven by one thread (the heartbeat loop); readers on other threads see volatile snapshots.
 */
public final class HeartbeatState {

  /** First retry delay after a failure. */
  public static final long FIRST_RETRY_MS = 250;

  private final long intervalMs;
  private volatile long nextDueAt;
  private volatile boolean registered;
  private volatile long seq;
  private volatile long beats;
  private volatile long consecutiveFailures;
  private volatile long totalFailures;
  private volatile long lastSuccessAt = -1;

  /** A schedule with {@code intervalMs} between heartbeats, first due at {@code now}. */
  public HeartbeatState(long intervalMs, long now) {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("intervalMs must be >= 1, was " + intervalMs);
    }
    this.intervalMs = intervalMs;
    this.nextDueAt = now;
  }

  /** Whether a heartbeat is due at {@code now}. */
  public boolean due(long now) {
    return now >= nextDueAt;
  }

  /** Milliseconds until the next heartbeat is due (0 when due). */
  public long delayUntilDue(long now) {
    return Math.max(0, nextDueAt - now);
  }

  /** Whether the worker must register before its next heartbeat. */
  public boolean needsRegistration() {
    return !registered;
  }

  /** The sequence number for the heartbeat about to be sent (then counts it). */
  public long nextSeq() {
    return seq++;
  }

  /** Registration succeeded at {@code now}. */
  public void registered(long now) {
    registered = true;
    consecutiveFailures = 0;
    lastSuccessAt = now;
  }

  /** The registry did not know the worker (it was swept as dead): register at the next attempt, now. */
  public void unregistered(long now) {
    registered = false;
    nextDueAt = now;
  }

  /** A heartbeat (or registration) reached Redis at {@code now}: the next one is an interval later. */
  public void succeeded(long now) {
    beats++;
    consecutiveFailures = 0;
    lastSuccessAt = now;
    nextDueAt = now + intervalMs;
  }

  /** A heartbeat (or registration) could not reach Redis at {@code now}: retry soon. */
  public void failed(long now) {
    consecutiveFailures++;
    totalFailures++;
    long shift = Math.min(consecutiveFailures - 1, 20);
    nextDueAt = now + Math.min(intervalMs, FIRST_RETRY_MS << shift);
  }

  /** Heartbeats that reached Redis. */
  public long beats() {
    return beats;
  }

  /** Failures since the last success. */
  public long consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Failures since start. */
  public long totalFailures() {
    return totalFailures;
  }

  /** When a heartbeat or registration last reached Redis (ms), -1 never. */
  public long lastSuccessAt() {
    return lastSuccessAt;
  }

  /** The interval. */
  public long intervalMs() {
    return intervalMs;
  }
}
