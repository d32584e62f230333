package dev.corral.broker;

import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;

/**
 * Options of a {@link Queue}.
 *
 * @param prefix the key prefix ({@code bull} by default)
 * @param maxLenEvents approximate maximum length of the events stream (BullMQ's {@code streams.events.maxLen})
 */
public record QueueOptions(String prefix, int maxLenEvents) {

  /** BullMQ's default events stream length. */
  public static final int DEFAULT_MAX_LEN_EVENTS = 10_000;

  /** Validates the options. */
  public QueueOptions {
    Checks.notEmpty(prefix, "prefix");
    Checks.atLeast(maxLenEvents, 1, "maxLenEvents");
  }

  /** Prefix {@code bull}, 10 000 events. */
  public static QueueOptions defaults() {
    return new QueueOptions(QueueKeys.DEFAULT_PREFIX, DEFAULT_MAX_LEN_EVENTS);
  }

  /** These options with another prefix. */
  public QueueOptions withPrefix(String newPrefix) {
    return new QueueOptions(newPrefix, maxLenEvents);
  }

  /** These options with another events stream length. */
  public QueueOptions withMaxLenEvents(int newMaxLen) {
    return new QueueOptions(prefix, newMaxLen);
  }
}
