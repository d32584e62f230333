package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one job hash, every BullMQ field decoded. Immutable; thread-safe.
 *
 * @param id the job id
 * @param name the job name
 * @param data the job data (JSON)
 * @param opts the stored options (JSON, BullMQ's compact keys)
 * @param timestamp creation time (ms)
 * @param delay current delay (ms)
 * @param priority priority (0 = none)
 * @param processedOn last time the job was moved to active (ms), or null
 * @param finishedOn time the job completed or failed (ms), or null
 * @param returnValue the processor's result (JSON), or null
 * @param failedReason the last failure message, or null
 * @param stacktrace stack traces of the failures, oldest first
 * @param progress the last reported progress (JSON), or null
 * @param attemptsMade attempts made ({@code atm}, or legacy {@code attemptsMade})
 * @param attemptsStarted times moved to active ({@code ats})
 * @param stalledCounter times recovered from a stall ({@code stc})
 * @param processedBy the name of the worker that last took the job ({@code pb}), or null
 * @param parentKey the parent's full job key for a flow child, or null
 * @param deduplicationId the deduplication id ({@code deid}), or null
 * @param deferredFailure a failure to apply at the next fetch ({@code defa}), or null
 * @param raw every field as stored
 */
public record Job(
    String id,
    String name,
    JsonNode data,
    JsonNode opts,
    long timestamp,
    long delay,
    int priority,
    Long processedOn,
    Long finishedOn,
    JsonNode returnValue,
    String failedReason,
    List<String> stacktrace,
    JsonNode progress,
    int attemptsMade,
    int attemptsStarted,
    int stalledCounter,
    String processedBy,
    String parentKey,
    String deduplicationId,
    String deferredFailure,
    Map<String, String> raw) {

  /** Decodes a job from its hash fields. */
  public static Job fromHash(String id, Map<String, String> hash) {
    return new Job(
        id,
        hash.get("name"),
        Json.parseLenient(hash.getOrDefault("data", "{}")),
        Json.parseLenient(hash.getOrDefault("opts", "{}")),
        parseLong(hash.get("timestamp"), 0),
        parseLong(hash.get("delay"), 0),
        (int) parseLong(hash.get("priority"), 0),
        parseLongOrNull(hash.get("processedOn")),
        parseLongOrNull(hash.get("finishedOn")),
        Json.parseLenient(hash.get("returnvalue")),
        hash.get("failedReason"),
        parseStacktrace(hash.get("stacktrace")),
        Json.parseLenient(hash.get("progress")),
        (int) parseLong(hash.containsKey("attemptsMade") ? hash.get("attemptsMade") : hash.get("atm"), 0),
        (int) parseLong(hash.get("ats"), 0),
        (int) parseLong(hash.get("stc"), 0),
        hash.get("pb"),
        hash.get("parentKey"),
        hash.get("deid"),
        hash.get("defa"),
        Collections.unmodifiableMap(new LinkedHashMap<>(hash)));
  }

  /** Decodes a job from a flat {@code HGETALL} reply (field, value, field, value, ...). */
  public static Job fromFlatHash(String id, List<?> flat) {
    Map<String, String> hash = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      hash.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return fromHash(id, hash);
  }

  /** The data converted to {@code type} with Jackson. */
  public <T> T dataAs(Class<T> type) {
    return Json.convert(data, type);
  }

  /** The return value converted to {@code type} with Jackson. */
  public <T> T returnValueAs(Class<T> type) {
    return Json.convert(returnValue, type);
  }

  /** {@code opts.attempts} (0 when absent; 0 and 1 both mean no retries). */
  public int attempts() {
    JsonNode a = opts == null ? null : opts.get("attempts");
    return a == null ? 0 : a.asInt(0);
  }

  private static long parseLong(String s, long fallback) {
    Long v = parseLongOrNull(s);
    return v == null ? fallback : v;
  }

  private static Long parseLongOrNull(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      try {
        return (long) Double.parseDouble(s);
      } catch (NumberFormatException e2) {
        return null;
      }
    }
  }

  private static List<String> parseStacktrace(String s) {
    JsonNode node = Json.parseLenient(s);
    if (node == null || !node.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(node.size());
    node.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }
}
