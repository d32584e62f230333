package dev.corral.broker.support;

/** Argument checks whose messages name the field and the value. */
public final class Checks {

  private Checks() {}

  /** Throws {@code IllegalArgumentException("<field> cannot be null")} when {@code value} is null. */
  public static <T> T notNull(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " cannot be null");
    }
    return value;
  }

  /** Throws when {@code value} is null or empty. */
  public static String notEmpty(String value, String field) {
    notNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " cannot be empty");
    }
    return value;
  }

  /** Throws {@code IllegalArgumentException(String.format(message, args))} unless {@code condition}. */
  public static void isTrue(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }

  /** Throws unless {@code min <= value <= max}, naming the field and the value. */
  public static long inRange(long value, long min, long max, String field) {
    isTrue(value >= min && value <= max, "%s must be between %d and %d, was %d", field, min, max, value);
    return value;
  }

  /** Throws unless {@code value >= min}. */
  public static long atLeast(long value, long min, String field) {
    isTrue(value >= min, "%s must be >= %d, was %d", field, min, value);
    return value;
  }
}
