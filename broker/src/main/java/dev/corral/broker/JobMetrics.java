package dev.corral.broker;

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
