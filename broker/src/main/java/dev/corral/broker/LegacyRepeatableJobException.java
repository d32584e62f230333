package dev.corral.broker;

/**
 * A job scheduler iteration taken by a worker carries a BullMQ 5 repeatable job key, which BullMQ 6 (and Corral)
 * cannot continue: the schedule stops there, but the iteration itself is still processed (bullmq 6.7.0 reports the
 * same error and runs the job). The message is bullmq's.
 */
public final class LegacyRepeatableJobException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  LegacyRepeatableJobException(String repeatJobKey) {
    super(LegacyRepeatKeys.error(repeatJobKey));
  }
}
