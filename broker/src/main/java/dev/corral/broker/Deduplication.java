package dev.corral.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BullMQ's {@code deduplication} option ({@code opts.de}): while a job with the same id is alive (or for
 * {@code ttl} ms), further adds return that job instead of adding a new one.
 *
 * <p>Two modes change what a deduplicated add does to the job that owns the id (as bullmq 6.7.0):
 * {@code reschedule} moves an owner that is still delayed to the new add's {@code timestamp + delay} (no
 * delay: due at once), keeping its id and data; {@code keepLastIfActive} keeps the newest add made while the
 * owner is active ({@code P dn:<id>}) and adds it as a job when the owner completes or fails for good, so at
 * most one job per id runs and one waits. With {@code keepLastIfActive} the dedup key has no ttl: it lives
 * until its job finishes or is removed (the ttl then only decides, with {@code extend}, which path BullMQ
 * takes, with the same result).
 *
 * @param id the deduplication id (not empty)
 * @param ttlMs how long the id blocks new adds, in ms; {@code null} until the job finishes or is removed
 * @param extend with a ttl: a deduplicated add refreshes the ttl
 * @param replace with a ttl (debounce): a new add replaces the existing job while it is still delayed
 * @param reschedule a deduplicated add moves a still-delayed owner to its own delay (not with replace)
 * @param keepLastIfActive a deduplicated add while the owner is active is kept and added when the owner
 *     finishes (only the last one)
 */
public record Deduplication(String id, Long ttlMs, boolean extend, boolean replace, boolean reschedule,
    boolean keepLastIfActive) {

  /**
   * Validates the option.
   *
   * @throws IllegalArgumentException for an empty id, a ttl below 1, extend/replace without a ttl, or
   *     reschedule with replace (BullMQ ignores reschedule then, so asking for both is a mistake)
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
    if (reschedule && replace) {
      throw new IllegalArgumentException("deduplication.reschedule cannot be combined with deduplication.replace"
          + " (BullMQ ignores reschedule when replace is set), was reschedule=true, replace=true");
    }
  }

  /** The option without {@code reschedule} and {@code keepLastIfActive}. */
  public Deduplication(String id, Long ttlMs, boolean extend, boolean replace) {
    this(id, ttlMs, extend, replace, false, false);
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

  /**
   * This option with {@code reschedule}: a deduplicated add moves a still-delayed owner to its own delay.
   *
   * @throws IllegalArgumentException when this option has {@code replace}
   */
  public Deduplication withReschedule() {
    return new Deduplication(id, ttlMs, extend, replace, true, keepLastIfActive);
  }

  /** This option with {@code keepLastIfActive}: the last add made while the owner is active runs after it. */
  public Deduplication withKeepLastIfActive() {
    return new Deduplication(id, ttlMs, extend, replace, reschedule, true);
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
    if (reschedule) {
      m.put("reschedule", true);
    }
    if (keepLastIfActive) {
      m.put("keepLastIfActive", true);
    }
    return m;
  }
}
