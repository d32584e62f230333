package dev.corral.api.queues;

import dev.corral.broker.JobMetrics;
import java.util.List;

/**
 * The body of {@code GET /api/queues/{queue}/metrics}: BullMQ's worker metrics of the queue, kept by workers that
 * collect them (a Node worker with {@code metrics: {maxDataPoints}}, a Corral worker with
 * {@code WorkerOptions.Builder.metrics}); all zero when none do.
 *
 * @param name the queue name
 * @param completed jobs completed
 * @param failed jobs failed for good (retried attempts are not counted)
 */
public record QueueMetricsView(String name, State completed, State failed) {

  /**
   * One finished state, with BullMQ's names.
   *
   * @param count jobs counted since metrics were first collected
   * @param prevTs when the minute in progress started being counted (ms since the epoch; BullMQ's {@code prevTS}),
   *     0 when never
   * @param prevCount {@code count} at that moment
   * @param data jobs finished per minute, newest minute first, at most the requested points; the minute in
   *     progress is not a point yet
   * @param dataPoints points stored in all
   */
  public record State(long count, long prevTs, long prevCount, List<Long> data, long dataPoints) {

    static State of(JobMetrics m) {
      return new State(m.count(), m.prevTs(), m.prevCount(), m.data(), m.dataPoints());
    }
  }
}
