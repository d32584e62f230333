package dev.corral.api.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per family one {@code # HELP} and one
 * {@code # TYPE} line, then its samples {@code name{label="value",...} value}, each line ending in {@code \n}.
 * Label values escape {@code \}, {@code "} and newlines; help texts escape {@code \} and newlines. Callers
 * write each family's samples together, right after declaring it. Not thread-safe: one per scrape.
 */
public final class PrometheusText {

  /** The Content-Type of the format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final StringBuilder out = new StringBuilder(4096);
  private final Set<String> declared = new HashSet<>();

  /**
   * Declares a metric family.
   *
   * @param name the family name, e.g. {@code corral_queue_jobs}
   * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code untyped}
   * @param help what it measures
   * @throws IllegalArgumentException for an invalid name or type, or a family declared twice
   */
  public PrometheusText family(String name, String type, String help) {
    if (!METRIC_NAME.matcher(name).matches() || !TYPES.contains(type)) {
      throw new IllegalArgumentException("invalid metric family " + name + " of type " + type);
    }
    if (!declared.add(name)) {
      throw new IllegalArgumentException("metric family " + name + " declared twice");
    }
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /**
   * One sample.
   *
   * @param name the sample name (the family's, or for a histogram the family's plus {@code _bucket},
   *     {@code _sum} or {@code _count})
   * @param value the value
   * @param labels label names and values, alternating
   * @throws IllegalArgumentException for an invalid name, label name, or an odd number of label strings
   */
  public PrometheusText sample(String name, double value, String... labels) {
    if (!METRIC_NAME.matcher(name).matches() || labels.length % 2 != 0) {
      throw new IllegalArgumentException("invalid sample " + name + " with " + labels.length + " label strings");
    }
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (!LABEL_NAME.matcher(labels[i]).matches()) {
          throw new IllegalArgumentException("invalid label name '" + labels[i] + "'");
        }
        out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(formatValue(value)).append('\n');
    return this;
  }

  /** The text written so far. */
  public String text() {
    return out.toString();
  }

  /** A label value with {@code \}, {@code "} and newlines escaped. */
  static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A help text with {@code \} and newlines escaped. */
  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** A value as Prometheus reads it: whole numbers without a fraction, {@code +Inf}, {@code -Inf}, {@code NaN}. */
  static String formatValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
