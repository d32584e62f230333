package dev.corral.sdk;

/**
 * Thrown by a processor after {@link JobContext#moveToWaitingChildren()} returned true (BullMQ's
 * {@code WaitingChildrenError}): the job now waits in waiting-children for the children it added, so the attempt
 * ends without completing or failing it and without counting an attempt. When its last child finishes, the job
 * goes back to wait and a worker runs it again, typically at its next step (kept in its data).
 */
public class WaitingChildrenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The attempt ends: the job waits for its children. */
  public WaitingChildrenException() {
    super("job moved to waiting-children");
  }
}
