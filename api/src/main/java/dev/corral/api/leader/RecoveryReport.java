package dev.corral.api.leader;

import java.util.List;

/**
 * The body of {@code POST /api/admin/recovery/run}: what one recovery pass did or, in a dry run, would do.
 *
 * @param dryRun whether nothing was changed
 * @param instanceId the API instance that ran it
 * @param queuesChecked queues found ({@code <prefix>:*:meta}) and stalled-checked
 * @param throttledQueues queues whose stalled check had run within the stalled interval (their
 *     {@code stalled-check} key exists), so the check did (would do) nothing there
 * @param moves the changes, in {@link RecoveryMove#ORDER}
 * @param durationMs how long the pass took
 */
public record RecoveryReport(boolean dryRun, String instanceId, int queuesChecked, List<String> throttledQueues,
    List<RecoveryMove> moves, long durationMs) {

  /** Copies the lists. */
  public RecoveryReport {
    throttledQueues = List.copyOf(throttledQueues);
    moves = List.copyOf(moves);
  }
}
