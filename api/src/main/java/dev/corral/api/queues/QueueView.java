package dev.corral.api.queues;

import dev.corral.broker.JobState;
import dev.corral.broker.QueueMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code GET /api/queues/{queue}}.
 *
 * @param name the queue name
 * @param paused whether workers are held off the queue
 * @param counts jobs per state, keyed by BullMQ's state name ({@code waiting}, {@code waiting-children}, ...)
 * @param meta the queue's settings from its meta hash
 */
public record QueueView(String name, boolean paused, Map<String, Long> counts, MetaView meta) {

  /** The view of a queue from what the broker reports. */
  public static QueueView of(String name, Map<JobState, Long> counts, boolean paused, QueueMeta meta) {
    Map<String, Long> byName = new LinkedHashMap<>();
    counts.forEach((state, count) -> byName.put(state.wireName(), count));
    return new QueueView(name, paused, byName, MetaView.of(meta));
  }

  /**
   * The queue's meta hash, fields absent when unset.
   *
   * @param library the library that last set up the queue on our side ({@code corral:<version>})
   * @param version the BullMQ version a Node queue wrote ({@code bullmq:<version>})
   * @param maxLenEvents approximate maximum length of the events stream
   * @param concurrency global concurrency limit
   * @param rateLimitMax global rate limit: jobs per window
   * @param rateLimitDurationMs global rate limit: window length
   */
  public record MetaView(
      String library,
      String version,
      Integer maxLenEvents,
      Integer concurrency,
      Integer rateLimitMax,
      Long rateLimitDurationMs) {

    static MetaView of(QueueMeta meta) {
      return new MetaView(meta.library(), meta.version(), meta.maxLenEvents(), meta.concurrency(), meta.max(),
          meta.duration());
    }
  }
}
