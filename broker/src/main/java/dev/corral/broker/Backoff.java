package dev.corral.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long to wait before retrying a failed job, stored in {@code opts.backoff} as BullMQ stores it:
 * {@code {"type":"fixed"|"exponential","delay":n[,"jitter":j]}}.
 *
 * @param type {@code fixed} or {@code exponential}
 * @param delay base delay in ms (>= 0)
 * @param jitter 0..1: the delay is drawn from {@code [d*(1-jitter), d]}; 0 for none
 */
public record Backoff(String type, long delay, double jitter) {

  /** BullMQ's fixed backoff type. */
  public static final String FIXED = "fixed";
  /** BullMQ's exponential backoff type. */
  public static final String EXPONENTIAL = "exponential";

  /**
   * Validates the backoff.
   *
   * @throws IllegalArgumentException for an unknown type, a negative delay or a jitter outside 0..1
   */
  public Backoff {
    if (!FIXED.equals(type) && !EXPONENTIAL.equals(type)) {
      throw new IllegalArgumentException("backoff.type must be 'fixed' or 'exponential', was '" + type + "'");
    }
    if (delay < 0) {
      throw new IllegalArgumentException("backoff.delay must be >= 0, was " + delay);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("backoff.jitter must be between 0 and 1, was " + jitter);
    }
  }

  /** The same delay before every retry. */
  public static Backoff fixed(long delayMs) {
    return new Backoff(FIXED, delayMs, 0);
  }

  /** {@code 2^(attempt-1) * delay}: 1x, 2x, 4x, ... */
  public static Backoff exponential(long delayMs) {
    return new Backoff(EXPONENTIAL, delayMs, 0);
  }

  /** This backoff with a jitter. */
  public Backoff withJitter(double newJitter) {
    return new Backoff(type, delay, newJitter);
  }

  /** The stored form. */
  Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delay", delay);
    m.put("type", type);
    if (jitter > 0) {
      m.put("jitter", jitter);
    }
    return m;
  }
}
