package dev.corral.broker.workers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums hour buckets of the stuck history into one {@link StuckSummary} per group. A bucket holds, per group
 * {@code g} ({@code wf:<workflowId>} or {@code job:<queue>:<name>}), the fields {@code n|g} (count),
 * {@code last|g} (latest time) and {@code r|<reason>|g} (count per reason). Pure; not thread-safe (one use).
 */
public final class StuckAggregation {

  private static final class Sum {
    long count;
    long last;
    final EnumMap<StuckReason, Long> reasons = new EnumMap<>(StuckReason.class);
  }

  private final Map<String, Sum> groups = new LinkedHashMap<>();

  /** Adds one bucket's fields. Unknown fields are ignored. */
  public StuckAggregation add(Map<String, String> bucket) {
    bucket.forEach((field, value) -> {
      int bar = field.indexOf('|');
      if (bar < 0) {
        return;
      }
      String kind = field.substring(0, bar);
      String rest = field.substring(bar + 1);
      long v = Long.parseLong(value);
      switch (kind) {
        case "n" -> sum(rest).count += v;
        case "last" -> sum(rest).last = Math.max(sum(rest).last, v);
        case "r" -> {
          int second = rest.indexOf('|');
          if (second > 0) {
            try {
              StuckReason reason = StuckReason.fromWireName(rest.substring(0, second));
              sum(rest.substring(second + 1)).reasons.merge(reason, v, Long::sum);
            } catch (IllegalArgumentException unknownReason) {
              // a reason written by a newer version: counted in n, not broken down
            }
          }
        }
        default -> { }
      }
    });
    return this;
  }

  private Sum sum(String group) {
    return groups.computeIfAbsent(group, g -> new Sum());
  }

  /** One summary per group, the most events first. */
  public List<StuckSummary> summaries() {
    List<StuckSummary> out = new ArrayList<>(groups.size());
    groups.forEach((group, s) -> {
      if (group.startsWith("wf:")) {
        out.add(new StuckSummary(group.substring(3), null, null, s.count, s.last, s.reasons));
      } else if (group.startsWith("job:")) {
        String rest = group.substring(4);
        int colon = rest.indexOf(':');
        out.add(new StuckSummary(null, rest.substring(0, Math.max(0, colon)), rest.substring(colon + 1), s.count,
            s.last, s.reasons));
      }
    });
    out.sort(Comparator.comparingLong(StuckSummary::count).reversed().thenComparing(
        Comparator.comparingLong(StuckSummary::lastAt).reversed()));
    return out;
  }
}
