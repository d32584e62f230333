package dev.corral.broker.workers;

import dev.corral.broker.support.Checks;

/**
 * A remote command for one worker. Validated on construction; immutable.
 *
 * @param id unique id (given by {@link WorkerCommands#send})
 * @param workerId the worker it is for
 * @param type what to do
 * @param pid for {@code recycle} of a process pool: the process to replace; null for any idle one
 * @param slot for {@code recycle} of an in-JVM worker: the slot to restart; null for any idle one
 * @param deadlineMs for {@code recycle} of a busy process / slot and {@code shutdown}: how long its job may
 *     still run (ms, 0 = the worker's default)
 * @param requester who sent it (1..128 characters)
 * @param reason why (at most 1024 characters)
 * @param sentAt when it was sent (ms)
 */
public record WorkerCommand(String id, String workerId, CommandType type, Long pid, Integer slot, long deadlineMs,
    String requester, String reason, long sentAt) {

  /** Longest reason accepted. */
  public static final int MAX_REASON = 1024;

  /** Validates. */
  public WorkerCommand {
    Checks.notEmpty(id, "id");
    WorkerIds.validate(workerId);
    Checks.notNull(type, "type");
    Checks.isTrue(type == CommandType.RECYCLE || (pid == null && slot == null),
        "pid and slot apply to recycle only, not %s", type.wireName());
    Checks.isTrue(pid == null || slot == null, "recycle takes a pid or a slot, not both");
    Checks.isTrue(pid == null || pid > 0, "pid must be > 0, was %s", pid);
    Checks.isTrue(slot == null || slot >= 0, "slot must be >= 0, was %s", slot);
    Checks.inRange(deadlineMs, 0, 86_400_000L, "deadlineMs");
    Checks.notEmpty(requester, "requester");
    Checks.isTrue(requester.length() <= 128, "requester must be at most 128 characters, was %d", requester.length());
    reason = reason == null ? "" : reason;
    Checks.isTrue(reason.length() <= MAX_REASON, "reason must be at most %d characters, was %d", MAX_REASON,
        reason.length());
  }
}
