package dev.corral.api.requests;

import dev.corral.api.errors.ApiException;

/** Query parameter parsing: pagination and flags, each failure a 400 naming the parameter. Pure. */
public final class Params {

  /** Default page size. */
  public static final int DEFAULT_LIMIT = 20;

  /** Largest page size. */
  public static final int MAX_LIMIT = 1000;

  /** Largest offset accepted. */
  public static final int MAX_OFFSET = 1_000_000_000;

  private Params() {}

  /**
   * A page request.
   *
   * @param offset items to skip
   * @param limit page size, 1..{@value #MAX_LIMIT}
   */
  public record Page(int offset, int limit) {}

  /** The page of {@code offset} and {@code limit} (null = absent: 0 and {@value #DEFAULT_LIMIT}). */
  public static Page page(String offset, String limit) {
    return new Page(number("offset", offset, 0, 0, MAX_OFFSET), number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
  }

  /** A whole number parameter within {@code min..max}, {@code fallback} when absent. */
  public static int number(String name, String value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(name, name + " must be a whole number between " + min + " and " + max
        + ", was '" + value + "'");
  }

  /** A {@code true}/{@code false} parameter, {@code false} when absent. */
  public static boolean flag(String name, String value) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default -> throw ApiException.invalid(name, name + " must be true or false, was '" + value + "'");
    };
  }
}
