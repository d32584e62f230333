package dev.corral.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BullMQ's {@code deduplication} option ({@code opts.de}): while a job with the same id is alive (or for
 * {@code ttl} ms), further adds return that job instead of adding a new one.
 *
 * @param id the deduplication id (not empty)
 * @param ttlMs how long the id blocks new adds, in ms; {@code null} until the job finishes or is removed
 * @param extend with a ttl: a deduplicated add refreshes the ttl
 * @param replace with a ttl (debounce): a new add replaces the existing job while it is still delayed
 */
public record Deduplication(String id, Long ttlMs, boolean extend, boolean replace) {

  /**
   * Validates the option.
   *
   * @throws IllegalArgumentException for an empty id, a ttl below 1, or extend/replace without a ttl
   */
  public Deduplication {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("deduplication.id cannot be empty");
    }
    if (ttlMs != null && ttlMs < 1) {
      throw new IllegalArgumentException("deduplication.ttl must be >= 1 ms, was " + ttlMs);
    }
    if ((extend || replace) && ttlMs == null) {
      throw new IllegalArgumentException("deduplication.extend and deduplication.replace need a ttl");
    }
  }

  /** Simple mode: blocks until the job finishes or is removed. */
  public static Deduplication simple(String id) {
    return new Deduplication(id, null, false, false);
  }

  /** Throttle mode: blocks for {@code ttlMs}. */
  public static Deduplication throttle(String id, long ttlMs) {
    return new Deduplication(id, ttlMs, false, false);
  }

  /** Debounce mode: the newest add within {@code ttlMs} replaces a still-delayed job. */
  public static Deduplication debounce(String id, long ttlMs) {
    return new Deduplication(id, ttlMs, true, true);
  }

  Map<String, Object> toWire() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    if (ttlMs != null) {
      m.put("ttl", ttlMs);
    }
    if (extend) {
      m.put("extend", true);
    }
    if (replace) {
      m.put("replace", true);
    }
    return m;
  }
}
