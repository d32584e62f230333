package dev.corral.broker.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one field of a cron pattern into its values the way cron-parser 5.10.3 does (aliases, wildcards,
 * lists, ranges, steps, {@code L}), with its errors: out-of-range values, duplicates, bad steps. Values are
 * {@link Integer}s, or {@code String}s for {@code L} forms ({@code "L"}, {@code "5L"}). Pure.
 */
final class CronFieldParser {

  /** A field's bounds and whether it takes {@code L}. */
  record Field(String name, int min, int max, boolean takesL) {}

  static final Field SECOND = new Field("second", 0, 59, false);
  static final Field MINUTE = new Field("minute", 0, 59, false);
  static final Field HOUR = new Field("hour", 0, 23, false);
  static final Field DAY_OF_MONTH = new Field("dayOfMonth", 1, 31, true);
  static final Field MONTH = new Field("month", 1, 12, false);
  static final Field DAY_OF_WEEK = new Field("dayOfWeek", 0, 7, true);

  private static final Map<String, Integer> ALIASES = Map.ofEntries(
      Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5),
      Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10),
      Map.entry("nov", 11), Map.entry("dec", 12), Map.entry("sun", 0), Map.entry("mon", 1), Map.entry("tue", 2),
      Map.entry("wed", 3), Map.entry("thu", 4), Map.entry("fri", 5), Map.entry("sat", 6));
  private static final Pattern ALIAS = Pattern.compile("[a-zA-Z]{3}");
  private static final Pattern PLAIN = Pattern.compile("^[?,*\\d/-]+$");
  private static final Pattern WITH_L = Pattern.compile("^[?,*\\dL/-]+$");
  private static final Pattern L_VALUE = Pattern.compile("^\\d{0,2}L$");

  private CronFieldParser() {}

  /** Month and day names (3 letters, any case) to numbers, as cron-parser (one table for both fields). */
  static String replaceAliases(String value) {
    Matcher m = ALIAS.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Integer n = ALIASES.get(m.group().toLowerCase(Locale.ROOT));
      if (n == null) {
        throw new IllegalArgumentException("cannot resolve alias \"" + m.group().toLowerCase(Locale.ROOT) + "\"");
      }
      m.appendReplacement(out, n.toString());
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The values of {@code raw} (already alias-free for month and day of week), sorted, checked. */
  static List<Object> parse(Field f, String raw) {
    if (raw.contains("H")) {
      throw new IllegalArgumentException("hashed values (H) are random in cron-parser and not supported");
    }
    if (!(f.takesL() ? WITH_L : PLAIN).matcher(raw).matches()) {
      throw new IllegalArgumentException("invalid characters in the " + f.name() + " field: " + raw);
    }
    String value = raw.replaceAll("[*?]", f.min() + "-" + f.max());
    List<Object> stack = new ArrayList<>();
    for (String atom : value.split(",", -1)) {
      if (atom.isEmpty()) {
        throw new IllegalArgumentException("invalid list value format in the " + f.name() + " field: " + raw);
      }
      Object parsed = parseRepeat(f, atom);
      if (parsed instanceof List<?> range) {
        stack.addAll(range);
      } else if (parsed instanceof String s && s.contains("L") && f.takesL()) {
        stack.add(s);
      } else {
        int v = parseIntPrefix(String.valueOf(parsed));
        if (v < f.min() || v > f.max()) {
          throw new IllegalArgumentException("value " + parsed + " of the " + f.name() + " field is outside "
              + f.min() + "-" + f.max());
        }
        stack.add(f == DAY_OF_WEEK ? v % 7 : v);
      }
    }
    List<Object> sorted = new ArrayList<>(stack);
    sorted.sort((a, b) -> a instanceof Integer x && b instanceof Integer y ? Integer.compare(x, y)
        : a instanceof Integer ? -1 : b instanceof Integer ? 1 : ((String) a).compareTo((String) b));
    for (Object v : sorted) {
      boolean ok = v instanceof Integer n ? n >= f.min() && n <= f.max() : L_VALUE.matcher((String) v).matches();
      if (!ok) {
        throw new IllegalArgumentException("value " + v + " of the " + f.name() + " field is outside " + f.min()
            + "-" + f.max());
      }
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("duplicate value " + sorted.get(i) + " in the " + f.name() + " field");
      }
    }
    return sorted;
  }

  private static Object parseRepeat(Field f, String atom) {
    String[] parts = atom.split("/", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("invalid repeat in the " + f.name() + " field: " + atom);
    }
    if (parts.length == 2) {
      String range = parts[0].contains("-") ? parts[0] : parts[0] + "-" + f.max();
      return parseRange(f, range, parts[1].isEmpty() ? -1 : parseIntPrefix(parts[1]), atom);
    }
    return parseRange(f, atom, 1, atom);
  }

  private static Object parseRange(Field f, String range, int step, String atom) {
    String[] ends = range.split("-", -1);
    if (ends.length <= 1) {
      return range.matches("\\d+") ? (Object) Integer.parseInt(range) : range;
    }
    if (ends.length > 2) {
      throw new IllegalArgumentException("invalid range in the " + f.name() + " field: " + atom);
    }
    if (!ends[0].matches("\\d+") || !ends[1].matches("\\d+")) {
      throw new IllegalArgumentException("invalid range in the " + f.name() + " field: " + atom);
    }
    int min = Integer.parseInt(ends[0]);
    int max = Integer.parseInt(ends[1]);
    if (min < f.min() || max > f.max()) {
      throw new IllegalArgumentException("range " + min + "-" + max + " of the " + f.name() + " field is outside "
          + f.min() + "-" + f.max());
    }
    if (min > max) {
      throw new IllegalArgumentException("invalid range " + min + "-" + max + " in the " + f.name() + " field");
    }
    if (step <= 0) {
      throw new IllegalArgumentException("invalid step in the " + f.name() + " field: " + atom);
    }
    List<Object> out = new ArrayList<>();
    if (f == DAY_OF_WEEK && max % 7 == 0 && (max - min) % step == 0) {
      out.add(0);
    }
    for (int i = min; i <= max; i += step) {
      if (!out.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private static int parseIntPrefix(String s) {
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a number: " + s);
    }
    return Integer.parseInt(s.substring(0, Math.min(i, 9)));
  }
}
