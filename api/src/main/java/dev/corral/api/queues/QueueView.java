package dev.corral.api.queues;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.JobState;
import dev.corral.broker.QueueConnections;
import dev.corral.broker.QueueMeta;
import dev.corral.broker.QueueStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/queues/{queue}}.
 *
 * @param name the queue name
 * @param paused whether workers are held off the queue
 * @param counts jobs per state, keyed by BullMQ's state name ({@code waiting}, {@code waiting-children}, ...)
 * @param priorities ready jobs per priority ({@code "0"} is the wait list), exact; priorities without jobs left out
 * @param morePriorities true when the queue has more than {@value QueuesService#MAX_PRIORITIES} distinct
 *     priorities (only the lowest are listed), else null
 * @param names job names over a sample of the jobs not yet finished
 * @param workers the workers on the queue
 * @param meta the queue's settings from its meta hash
 */
public record QueueView(String name, boolean paused, Map<String, Long> counts, Map<String, Long> priorities,
    Boolean morePriorities, Names names, Workers workers, MetaView meta) {

  /**
   * Job names counted over at most {@code sampleSize} jobs: active, then waiting (next to run first), prioritized
   * and delayed.
   *
   * @param sampleSize the most jobs read
   * @param scanned jobs read
   * @param sampled true when those states hold more jobs than {@code sampleSize}, so the counts cover only part
   * @param counts jobs per name, most frequent first
   */
  public record Names(int sampleSize, long scanned, boolean sampled, Map<String, Long> counts) {}

  /**
   * The workers on the queue, seen two ways.
   *
   * @param registered workers of the registry that listed this queue, as in {@code GET /api/workers}
   * @param connections Redis connections named as BullMQ's {@code getWorkers()} finds them (Java and Node workers)
   */
  public record Workers(List<ObjectNode> registered, List<Connection> connections) {}

  /**
   * One worker connection.
   *
   * @param clientName the Redis client name
   * @param workerName the worker's name, or null for an unnamed worker
   * @param addr its address
   * @param ageSeconds how long it has been connected
   * @param idleSeconds since its last command
   */
  public record Connection(String clientName, String workerName, String addr, long ageSeconds, long idleSeconds) {

    static Connection of(QueueConnections.WorkerConnection c) {
      return new Connection(c.rawName(), c.workerName(), c.addr(), c.ageSeconds(), c.idleSeconds());
    }
  }

  /** The view of a queue from what the broker reports. */
  public static QueueView of(String name, QueueStats stats, int sampleSize, Workers workers) {
    Map<String, Long> priorities = new LinkedHashMap<>();
    stats.priorities().forEach((p, n) -> priorities.put(String.valueOf(p), n));
    return new QueueView(name, stats.paused(), byWireName(stats.defaultCounts()), priorities,
        stats.morePriorities() ? Boolean.TRUE : null,
        new Names(sampleSize, stats.scanned(), stats.sampled(), stats.names()), workers, MetaView.of(stats.meta()));
  }

  /** Counts keyed by BullMQ's state names. */
  static Map<String, Long> byWireName(Map<JobState, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((state, count) -> out.put(state.wireName(), count));
    return out;
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
