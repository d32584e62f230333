package dev.corral.broker;

import java.util.Map;

/**
 * The queue's meta hash, decoded.
 *
 * @param maxLenEvents {@code opts.maxLenEvents}, or null
 * @param version BullMQ's {@code version} field (written by Node's Queue), or null
 * @param library Corral's {@code library} field ({@code corral:<version>}), or null
 * @param paused whether the queue is paused
 * @param concurrency global concurrency, or null
 * @param max global rate limit: jobs per duration, or null
 * @param duration global rate limit window in ms, or null
 * @param raw every field as stored
 */
public record QueueMeta(
    Integer maxLenEvents,
    String version,
    String library,
    boolean paused,
    Integer concurrency,
    Integer max,
    Long duration,
    Map<String, String> raw) {

  static QueueMeta fromHash(Map<String, String> hash) {
    return new QueueMeta(
        intOrNull(hash.get("opts.maxLenEvents")),
        hash.get("version"),
        hash.get("library"),
        hash.containsKey("paused"),
        intOrNull(hash.get("concurrency")),
        intOrNull(hash.get("max")),
        hash.get("duration") == null ? null : Long.valueOf(hash.get("duration")),
        Map.copyOf(hash));
  }

  private static Integer intOrNull(String s) {
    return s == null ? null : Integer.valueOf(s);
  }
}
