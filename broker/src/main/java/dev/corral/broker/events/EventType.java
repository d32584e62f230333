package dev.corral.broker.events;

import java.util.HashMap;
import java.util.Map;

/**
 * Every event name BullMQ 6.7.0 writes to a queue's events stream, plus {@link #CUSTOM} for names published
 * by {@code QueueEventsProducer} (or any other writer). {@link #wireName()} is the stored name.
 */
public enum EventType {
  /** A job was stored: {@code jobId}, {@code name}. */
  ADDED("added"),
  /** A job became ready: {@code jobId}, optional {@code prev}. */
  WAITING("waiting"),
  /** A job was delayed: {@code jobId}, {@code delay} = absolute due time in ms. */
  DELAYED("delayed"),
  /** A parent waits for its children: {@code jobId}, optional {@code prev}. */
  WAITING_CHILDREN("waiting-children"),
  /** A worker took a job: {@code jobId}, {@code prev}. */
  ACTIVE("active"),
  /** Progress was reported: {@code jobId}, {@code data} (JSON). */
  PROGRESS("progress"),
  /** A job completed: {@code jobId}, {@code returnvalue} (JSON), {@code prev}. */
  COMPLETED("completed"),
  /** A job failed for good: {@code jobId}, {@code failedReason}, {@code prev}. */
  FAILED("failed"),
  /** A job used all its attempts: {@code jobId}, {@code attemptsMade}. */
  RETRIES_EXHAUSTED("retries-exhausted"),
  /** A job was recovered from a stall: {@code jobId}. */
  STALLED("stalled"),
  /** A job was removed: {@code jobId}, {@code prev}. */
  REMOVED("removed"),
  /** An add with an existing custom id: {@code jobId}. */
  DUPLICATED("duplicated"),
  /** An add was deduplicated: {@code jobId}, {@code deduplicationId}, {@code deduplicatedJobId}. */
  DEDUPLICATED("deduplicated"),
  /** Nothing is left to run. */
  DRAINED("drained"),
  /** The queue was paused. */
  PAUSED("paused"),
  /** The queue was resumed. */
  RESUMED("resumed"),
  /** Jobs were cleaned: {@code count}. */
  CLEANED("cleaned"),
  /** Any other event name. */
  CUSTOM(null);

  private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (EventType t : values()) {
      if (t.wireName != null) {
        BY_WIRE_NAME.put(t.wireName, t);
      }
    }
  }

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored in the stream's {@code event} field; {@code null} for {@link #CUSTOM}. */
  public String wireName() {
    return wireName;
  }

  /** The type of a stored event name; {@link #CUSTOM} for names BullMQ does not write (and for null). */
  public static EventType fromWireName(String name) {
    return name == null ? CUSTOM : BY_WIRE_NAME.getOrDefault(name, CUSTOM);
  }
}
