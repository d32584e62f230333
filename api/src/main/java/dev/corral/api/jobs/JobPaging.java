package dev.corral.api.jobs;

import dev.corral.broker.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a page over several states (in a fixed order) into one range per state, from the states' counts:
 * the states are concatenated, newest first within each. Pure.
 */
public final class JobPaging {

  private JobPaging() {}

  /**
   * One range to read.
   *
   * @param state the state
   * @param start first index (0 = newest)
   * @param end last index, inclusive
   */
  public record Slice(JobState state, long start, long end) {}

  /** The ranges that make up {@code offset..offset+limit-1} of the states of {@code counts}, in order. */
  public static List<Slice> slices(Map<JobState, Long> counts, long offset, int limit) {
    List<Slice> slices = new ArrayList<>();
    long skip = offset;
    long left = limit;
    for (Map.Entry<JobState, Long> e : counts.entrySet()) {
      long count = e.getValue();
      if (left <= 0) {
        break;
      }
      if (skip >= count) {
        skip -= count;
        continue;
      }
      long take = Math.min(left, count - skip);
      slices.add(new Slice(e.getKey(), skip, skip + take - 1));
      left -= take;
      skip = 0;
    }
    return slices;
  }

  /** The states a list covers: {@code state} alone, or every state a job can be in, when null. */
  public static List<JobState> states(JobState state) {
    return state != null ? List.of(state) : List.of(JobState.ACTIVE, JobState.WAITING, JobState.PRIORITIZED,
        JobState.DELAYED, JobState.WAITING_CHILDREN, JobState.COMPLETED, JobState.FAILED);
  }

  /**
   * The {@code state} query parameter.
   *
   * @throws dev.corral.api.errors.ApiException 400 naming {@code state} for an unknown state
   */
  public static JobState state(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      JobState s = JobState.fromWireName(value);
      if (s != JobState.UNKNOWN && s != JobState.PAUSED) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw dev.corral.api.errors.ApiException.invalid("state", "state must be one of active, waiting, prioritized, "
        + "delayed, waiting-children, completed, failed; was '" + value + "'");
  }
}
