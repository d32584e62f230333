package dev.corral.api.stream;

import java.util.regex.Pattern;

/** Redis stream entry ids ({@code <ms>-<seq>}): validation and order. Pure. */
public final class StreamIds {

  private static final Pattern ID = Pattern.compile("\\d{1,19}(-\\d{1,19})?");

  private StreamIds() {}

  /** Whether {@code id} is {@code <ms>} or {@code <ms>-<seq>}. */
  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** {@code <ms>-<seq>}; a bare {@code <ms>} means {@code <ms>-0}. */
  public static String normalize(String id) {
    return id.indexOf('-') < 0 ? id + "-0" : id;
  }

  /** Compares two valid ids by milliseconds, then sequence. */
  public static int compare(String a, String b) {
    long[] x = parts(a);
    long[] y = parts(b);
    int c = Long.compareUnsigned(x[0], y[0]);
    return c != 0 ? c : Long.compareUnsigned(x[1], y[1]);
  }

  private static long[] parts(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? new long[] {Long.parseUnsignedLong(id), 0}
        : new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
  }
}
