package dev.corral.api.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4 for tests: every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample; every sample must belong to a family declared (HELP and TYPE) before it, families
 * must not be split, label values must be well escaped, values must parse, and histograms must have cumulative
 * buckets ending in {@code le="+Inf"} equal to their {@code _count}. Any violation throws {@link AssertionError}.
 */
public final class Exposition {

  /**
   * One sample.
   *
   * @param name the sample name
   * @param labels its labels, unescaped
   * @param value its value
   */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
      + "(counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  private final Map<String, String> types = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private Exposition() {}

  /** Parses {@code text}, checking every rule above. */
  public static Exposition parse(String text) {
    if (!text.endsWith("\n")) {
      throw new AssertionError("the exposition must end with a newline");
    }
    Exposition e = new Exposition();
    Set<String> helped = new HashSet<>();
    Set<String> closed = new HashSet<>();
    String current = null;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = HELP.matcher(line)).matches()) {
        String family = m.group(1);
        if (!helped.add(family) || closed.contains(family)) {
          throw new AssertionError("line " + n + ": HELP repeated for " + family);
        }
        if (current != null) {
          closed.add(current);
        }
        current = family;
      } else if ((m = TYPE.matcher(line)).matches()) {
        if (!m.group(1).equals(current) || e.types.containsKey(current)) {
          throw new AssertionError("line " + n + ": TYPE must follow its HELP: " + line);
        }
        e.types.put(current, m.group(2));
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String family = familyOf(m.group(1), e.types);
        if (family == null || !family.equals(current)) {
          throw new AssertionError("line " + n + ": sample outside its declared family: " + line);
        }
        e.samples.add(new Sample(m.group(1), labels(m.group(2), n), parseValue(m.group(3), n)));
      } else {
        throw new AssertionError("line " + n + ": not valid exposition: " + line);
      }
    }
    e.checkHistograms();
    return e;
  }

  private static String familyOf(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if ("histogram".equals(types.get(base))) {
          return base;
        }
      }
    }
    return null;
  }

  private static Map<String, String> labels(String raw, int line) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return labels;
    }
    Matcher m = LABEL.matcher(raw);
    int at = 0;
    while (at < raw.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new AssertionError("line " + line + ": bad labels " + raw);
      }
      String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
      if (labels.put(m.group(1), value) != null) {
        throw new AssertionError("line " + line + ": label repeated in " + raw);
      }
      at = m.end();
      if (at < raw.length()) {
        if (raw.charAt(at) != ',') {
          throw new AssertionError("line " + line + ": bad labels " + raw);
        }
        at++;
      }
    }
    return labels;
  }

  private static double parseValue(String raw, int line) {
    return switch (raw) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new AssertionError("line " + line + ": bad value " + raw);
        }
      }
    };
  }

  private void checkHistograms() {
    for (Map.Entry<String, String> t : types.entrySet()) {
      if (!t.getValue().equals("histogram")) {
        continue;
      }
      Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
      for (Sample s : samples) {
        if (s.name().equals(t.getKey() + "_bucket")) {
          Map<String, String> series = new LinkedHashMap<>(s.labels());
          if (series.remove("le") == null) {
            throw new AssertionError("bucket without le: " + s);
          }
          buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
        }
      }
      buckets.forEach((series, list) -> {
        double previous = -1;
        double previousLe = Double.NEGATIVE_INFINITY;
        for (Sample b : list) {
          double le = parseValue(b.labels().get("le"), 0);
          if (le <= previousLe || b.value() < previous) {
            throw new AssertionError("buckets not cumulative for " + series + ": " + list);
          }
          previousLe = le;
          previous = b.value();
        }
        Sample last = list.get(list.size() - 1);
        if (!last.labels().get("le").equals("+Inf") || last.value() != valueOf(t.getKey() + "_count", series)) {
          throw new AssertionError("+Inf bucket must equal _count for " + series);
        }
      });
    }
  }

  /** The families declared, by name, with their types. */
  public Map<String, String> types() {
    return types;
  }

  /** Every sample, in order. */
  public List<Sample> samples() {
    return samples;
  }

  /** The value of the sample {@code name} with exactly {@code labels} (alternating names and values), or NaN. */
  public double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return valueOf(name, wanted);
  }

  private double valueOf(String name, Map<String, String> wanted) {
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().equals(wanted)) {
        return s.value();
      }
    }
    return Double.NaN;
  }
}
