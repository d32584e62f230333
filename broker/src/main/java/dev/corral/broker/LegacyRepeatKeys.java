package dev.corral.broker;

/**
 * BullMQ 5's repeatable job keys ({@code name:id:endDate:tz:<cron|every>}), which BullMQ 6.7.0 no longer
 * continues: the same shape test as bullmq's {@code hasLegacyRepeatableKeyShape}, and its error. Pure.
 */
final class LegacyRepeatKeys {

  private LegacyRepeatKeys() {}

  /** True for a key with at least four ':' whose third part is empty or digits and whose rest holds a space
   *  or is digits. */
  static boolean hasLegacyShape(String key) {
    int c1 = key.indexOf(':');
    int c2 = c1 < 0 ? -1 : key.indexOf(':', c1 + 1);
    int c3 = c2 < 0 ? -1 : key.indexOf(':', c2 + 1);
    int c4 = c3 < 0 ? -1 : key.indexOf(':', c3 + 1);
    if (c4 < 0) {
      return false;
    }
    if (c2 + 1 < c3 && !digits(key, c2 + 1, c3)) {
      return false;
    }
    if (c4 + 1 >= key.length()) {
      return false;
    }
    return key.indexOf(' ', c4 + 1) >= 0 || digits(key, c4 + 1, key.length());
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static String error(String key) {
    return "Failed to add repeatable job for next iteration: Legacy repeatable job metadata is not supported in"
        + " BullMQ v6 (key: \"" + key + "\"). Migrate legacy repeatable jobs to Job Schedulers before upgrading."
        + " See https://docs.bullmq.io/guide/migrations/migrate-from-v5-to-v6";
  }
}
