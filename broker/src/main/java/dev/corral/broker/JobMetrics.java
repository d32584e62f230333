package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.support.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue's worker metrics for one finished state, as BullMQ's {@code getMetrics} returns them: the jobs that
 * workers with metrics enabled finished in that state, and one data point per minute (jobs finished in that
 * minute), newest first. Written at each finish by workers that collect metrics (Node's
 * {@code metrics: {maxDataPoints}}, Corral's {@code WorkerOptions.Builder.metrics}); the minute in progress is
 * not a point yet: it becomes one when the first job of a later minute finishes.
 *
 * @param count jobs counted in total ({@code count}), 0 when none
 * @param prevTs when the last data point was started (ms since the epoch, {@code prevTS}), 0 when none
 * @param prevCount {@code count} at that moment ({@code prevCount}), 0 when none
 * @param data the requested data points, newest minute first
 * @param dataPoints how many data points are stored in all
 */
public record JobMetrics(long count, long prevTs, long prevCount, List<Long> data, long dataPoints) {

  /** Copies {@code data}. */
  public JobMetrics {
    data = List.copyOf(data);
  }

  /**
   * Reads the metrics of finished {@code state} ({@link JobState#COMPLETED} or {@link JobState#FAILED}) of the
   * queue {@code keys}: totals and the data points {@code start..end} (0 = the newest minute, -1 = to the
   * oldest). One read-only script; writes nothing (not even the queue's meta, unlike creating a {@link Queue}).
   *
   * @throws IllegalArgumentException for any other state
   */
  public static JobMetrics read(BrokerClient client, QueueKeys keys, JobState state, long start, long end) {
    Checks.isTrue(state == JobState.COMPLETED || state == JobState.FAILED,
        "state must be completed or failed, was %s", state == null ? null : state.wireName());
    return fromReply(client.scripts().run(Command.GET_METRICS, keys.base(), state.wireName(), String.valueOf(start),
        String.valueOf(end)));
  }

  /** Decodes the getMetrics script's reply; absent or unreadable numbers are 0, as in BullMQ. */
  static JobMetrics fromReply(List<Object> reply) {
    List<?> counts = (List<?>) reply.get(0);
    List<?> points = (List<?>) reply.get(1);
    List<Long> data = new ArrayList<>(points.size());
    points.forEach(p -> data.add(number(p)));
    return new JobMetrics(number(counts.get(0)), number(counts.get(1)), number(counts.get(2)), data,
        (Long) reply.get(2));
  }

  private static long number(Object value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
