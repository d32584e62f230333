package dev.corral.broker.workers;

import java.util.UUID;
import java.util.regex.Pattern;

/** Worker ids: {@code [A-Za-z0-9._-]{1,128}} (no {@code :}, which separates an id from its lock counter). */
public final class WorkerIds {

  /** What a worker id may look like. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private WorkerIds() {}

  /**
   * Checks a worker id.
   *
   * @throws IllegalArgumentException naming {@code workerId} and the value
   */
  public static String validate(String workerId) {
    if (workerId == null) {
      throw new IllegalArgumentException("workerId cannot be null");
    }
    if (!PATTERN.matcher(workerId).matches()) {
      throw new IllegalArgumentException("workerId must match [A-Za-z0-9._-]{1,128}, was '" + workerId + "'");
    }
    return workerId;
  }

  /** A new random id (a UUID). */
  public static String generate() {
    return UUID.randomUUID().toString();
  }
}
