package dev.corral.api.queues;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/queues}.
 *
 * @param queues a page of the queues, by name
 * @param total queues discovered under the prefix
 * @param offset as asked
 * @param limit as asked
 */
public record QueueListView(List<Entry> queues, int total, int offset, int limit) {

  /**
   * One queue.
   *
   * @param name the queue name
   * @param paused whether it is paused
   * @param counts jobs per state
   */
  public record Entry(String name, boolean paused, Map<String, Long> counts) {}
}
