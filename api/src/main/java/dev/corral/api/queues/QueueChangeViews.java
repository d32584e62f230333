package dev.corral.api.queues;

import java.util.List;

/** The bodies answering {@code POST /api/queues/{queue}/drain} and {@code /clean}. */
public final class QueueChangeViews {

  private QueueChangeViews() {}

  /**
   * What a drain deleted.
   *
   * @param name the queue name
   * @param delayed whether delayed jobs were drained too
   * @param deleted how many jobs were deleted
   */
  public record Drained(String name, boolean delayed, long deleted) {}

  /**
   * What a clean deleted.
   *
   * @param name the queue name
   * @param state the state cleaned
   * @param graceMs as asked
   * @param limit as asked
   * @param deleted how many jobs were deleted
   * @param ids their ids, oldest first
   */
  public record Cleaned(String name, String state, long graceMs, int limit, int deleted, List<String> ids) {}
}
