package dev.corral.broker;

/**
 * The negative codes our scripts return, with BullMQ 6.7.0's numbers and messages, so an error reads the
 * same whichever library hit it.
 */
public enum ScriptError {
  JOB_NOT_EXIST(-1),
  JOB_LOCK_NOT_EXIST(-2),
  JOB_NOT_IN_STATE(-3),
  JOB_PENDING_CHILDREN(-4),
  PARENT_JOB_NOT_EXIST(-5),
  JOB_LOCK_MISMATCH(-6),
  PARENT_JOB_CANNOT_BE_REPLACED(-7),
  JOB_BELONGS_TO_JOB_SCHEDULER(-8),
  JOB_HAS_FAILED_CHILDREN(-9),
  SCHEDULER_JOB_ID_COLLISION(-10),
  SCHEDULER_JOB_SLOTS_BUSY(-11);

  private final int code;

  ScriptError(int code) {
    this.code = code;
  }

  /** The (negative) code. */
  public int code() {
    return code;
  }

  /** The error for {@code code}, or {@code null} when it is not one of ours. */
  public static ScriptError of(long code) {
    for (ScriptError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return null;
  }

  /**
   * The exception BullMQ would raise for {@code code}.
   *
   * @param code the script's return code
   * @param jobId the job concerned (or the parent key for the parent errors)
   * @param command the operation, e.g. {@code moveToFinished}
   * @param state the state the job was expected in, for {@link #JOB_NOT_IN_STATE}
   */
  public static BrokerException toException(long code, String jobId, String command, String state) {
    ScriptError error = of(code);
    if (error == null) {
      return new BrokerException(null, "Unknown code " + code + " error for " + jobId + ". " + command);
    }
    String message =
        switch (error) {
          case JOB_NOT_EXIST -> "Missing key for job " + jobId + ". " + command;
          case JOB_LOCK_NOT_EXIST -> "Missing lock for job " + jobId + ". " + command;
          case JOB_NOT_IN_STATE -> "Job " + jobId + " is not in the " + state + " state. " + command;
          case JOB_PENDING_CHILDREN -> "Job " + jobId + " has pending dependencies. " + command;
          case PARENT_JOB_NOT_EXIST -> "Missing key for parent job " + jobId + ". " + command;
          case JOB_LOCK_MISMATCH -> "Lock mismatch for job " + jobId + ". Cmd " + command + " from " + state;
          case PARENT_JOB_CANNOT_BE_REPLACED -> "The parent job " + jobId + " cannot be replaced. " + command;
          case JOB_BELONGS_TO_JOB_SCHEDULER ->
              "Job " + jobId + " belongs to a job scheduler and cannot be removed directly. " + command;
          case JOB_HAS_FAILED_CHILDREN ->
              "Cannot complete job " + jobId + " because it has at least one failed child. " + command;
          case SCHEDULER_JOB_ID_COLLISION ->
              "Cannot create job scheduler iteration - job ID already exists. " + command;
          case SCHEDULER_JOB_SLOTS_BUSY ->
              "Cannot create job scheduler iteration - current and next time slots already have jobs. " + command;
        };
    return new BrokerException(error, message);
  }
}
