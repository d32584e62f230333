package dev.corral.broker.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry of a queue's events stream. Immutable; thread-safe.
 *
 * <p>Accessors decode the fields as BullMQ's {@code QueueEvents} does: {@code returnvalue} and progress
 * {@code data} are JSON, {@code delay} is a number (the absolute due time, not a relative delay), and
 * {@code failedReason} is raw text. Each returns empty when the entry has no such field.
 *
 * @param id the stream entry id ({@code <ms>-<seq>}); resume after it with {@link QueueEventsOptions#startAfter}
 * @param type the event type ({@link EventType#CUSTOM} for unknown names)
 * @param event the stored event name (also for custom events)
 * @param jobId the job the event is about, or {@code null} (paused, resumed, drained, cleaned)
 * @param fields every field of the entry except {@code event}, in stored order
 */
public record QueueEvent(String id, EventType type, String event, String jobId, Map<String, String> fields) {

  /** Copies the fields. */
  public QueueEvent {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * Decodes a stream entry.
   *
   * @param id the entry id
   * @param entry the entry's fields, {@code event} included
   */
  public static QueueEvent of(String id, Map<String, String> entry) {
    Map<String, String> rest = new LinkedHashMap<>(entry);
    String event = rest.remove("event");
    return new QueueEvent(id, EventType.fromWireName(event), event, rest.get("jobId"), rest);
  }

  /** A field as stored. */
  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  /** The state the job was in before ({@code prev}). */
  public Optional<String> prev() {
    return field("prev");
  }

  /** The job name of an {@code added} event. */
  public Optional<String> jobName() {
    return field("name");
  }

  /** The return value of a {@code completed} event (JSON). */
  public Optional<JsonNode> returnValue() {
    return field("returnvalue").map(Json::parseLenient);
  }

  /** The failure message of a {@code failed} event. */
  public Optional<String> failedReason() {
    return field("failedReason");
  }

  /** The progress of a {@code progress} event (JSON). */
  public Optional<JsonNode> progress() {
    return type == EventType.PROGRESS ? field("data").map(Json::parseLenient) : Optional.empty();
  }

  /** The absolute due time in ms of a {@code delayed} event. */
  public OptionalLong delay() {
    return longField("delay");
  }

  /** {@code attemptsMade} of a {@code retries-exhausted} event. */
  public OptionalInt attemptsMade() {
    OptionalLong v = longField("attemptsMade");
    return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
  }

  /** {@code count} of a {@code cleaned} event. */
  public OptionalLong count() {
    return longField("count");
  }

  /** {@code deduplicationId} of a {@code deduplicated} event. */
  public Optional<String> deduplicationId() {
    return field("deduplicationId");
  }

  /** {@code deduplicatedJobId} of a {@code deduplicated} event. */
  public Optional<String> deduplicatedJobId() {
    return field("deduplicatedJobId");
  }

  /** When Redis stored the entry (ms), from the entry id. */
  public long timestampMillis() {
    int dash = id.indexOf('-');
    return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
  }

  private OptionalLong longField(String name) {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v));
    } catch (NumberFormatException e) {
      try {
        return OptionalLong.of((long) Double.parseDouble(v));
      } catch (NumberFormatException e2) {
        return OptionalLong.empty();
      }
    }
  }
}
