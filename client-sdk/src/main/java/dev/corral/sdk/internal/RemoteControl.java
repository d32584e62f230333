package dev.corral.sdk.internal;

import dev.corral.broker.workers.CommandOutcome;
import dev.corral.broker.workers.WorkerCommand;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.sdk.ProcessReporting;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Carries out the remote commands a worker takes from its command queue and acknowledges each with its
 * outcome. Each command runs on its own virtual thread (a recycle or drain may wait for jobs), so the
 * heartbeat loop is never held up.
 *
 * <p>Thread-safe.
 */
public final class RemoteControl {

  /** What a worker lets remote commands do. */
  public interface Target {
    void pause();

    void resume();

    /** Stops taking jobs and waits for the active ones, at most {@code timeout}; true when none is left. */
    boolean drain(Duration timeout) throws InterruptedException;

    /** Closes gracefully with {@code deadline} for active jobs; true when all finished in time. */
    boolean shutdown(Duration deadline);

    /** The in-JVM slots. */
    SlotTable slots();

    /** The process pool, when the processor runs jobs in child processes, else null. */
    ProcessReporting pool();
  }

  /** How long a recycled slot whose job was cancelled at the deadline gets to end. */
  static final long CANCEL_GRACE_MS = 5_000;

  private final WorkerCommands commands;
  private final Target target;
  private final Clock clock;
  private final Duration recycleDeadline;
  private final Duration shutdownDeadline;
  private final Consumer<Throwable> errors;

  public RemoteControl(WorkerCommands commands, Target target, Clock clock, Duration recycleDeadline,
      Duration shutdownDeadline, Consumer<Throwable> errors) {
    this.commands = commands;
    this.target = target;
    this.clock = clock;
    this.recycleDeadline = recycleDeadline;
    this.shutdownDeadline = shutdownDeadline;
    this.errors = errors;
  }

  /** Carries out {@code command} (taken at {@code takenAt}) on a new virtual thread, then acknowledges it. */
  public void handle(WorkerCommand command, long takenAt) {
    Thread.ofVirtual().name("corral-command-" + command.id()).start(() -> {
      Result r;
      try {
        r = execute(command);
      } catch (InterruptedException e) {
        r = new Result(CommandOutcome.FAILED, "interrupted");
      } catch (RuntimeException e) {
        r = new Result(CommandOutcome.FAILED, e.toString());
      }
      try {
        commands.ack(command, takenAt, r.outcome(), r.detail());
      } catch (RuntimeException e) {
        errors.accept(e);
      }
    });
  }

  /** An outcome and its description. */
  record Result(CommandOutcome outcome, String detail) {}

  private Result execute(WorkerCommand c) throws InterruptedException {
    Duration deadline = c.deadlineMs() > 0 ? Duration.ofMillis(c.deadlineMs()) : null;
    return switch (c.type()) {
      case PAUSE -> {
        target.pause();
        yield new Result(CommandOutcome.DONE, "paused: takes no jobs until resumed");
      }
      case RESUME -> {
        target.resume();
        yield new Result(CommandOutcome.DONE, "resumed");
      }
      case DRAIN -> target.drain(deadline == null ? Duration.ofDays(1) : deadline)
          ? new Result(CommandOutcome.DONE, "drained: no active jobs; takes none until resumed")
          : new Result(CommandOutcome.DONE, "draining: jobs still running at the deadline; takes none until resumed");
      case SHUTDOWN -> target.shutdown(deadline == null ? shutdownDeadline : deadline)
          ? new Result(CommandOutcome.DONE, "closed: every active job finished")
          : new Result(CommandOutcome.DONE, "closed: jobs still running at the deadline were cancelled");
      case RECYCLE -> target.pool() != null ? recyclePool(c, deadline) : recycleSlot(c, deadline);
    };
  }

  private Result recyclePool(WorkerCommand c, Duration deadline) {
    ProcessReporting pool = target.pool();
    if (c.slot() != null) {
      return new Result(CommandOutcome.REJECTED, "this worker runs a process pool: recycle takes a pid, not a slot");
    }
    if (c.pid() == null) {
      long pid = pool.recycleIdle(c.reason());
      return pid < 0 ? new Result(CommandOutcome.REJECTED, "no idle process")
          : new Result(CommandOutcome.DONE, "recycled idle process " + pid);
    }
    boolean known = pool.recycle(c.pid(), deadline == null ? recycleDeadline : deadline, c.reason());
    return known ? new Result(CommandOutcome.DONE, "process " + c.pid() + " is being recycled (a busy one after its "
        + "job, or at the deadline)") : new Result(CommandOutcome.REJECTED, "no process " + c.pid());
  }

  private Result recycleSlot(WorkerCommand c, Duration deadline) throws InterruptedException {
    if (c.pid() != null) {
      return new Result(CommandOutcome.REJECTED, "this worker runs jobs in its JVM: recycle takes a slot, not a pid");
    }
    SlotTable slots = target.slots();
    int slot = c.slot() != null ? c.slot() : slots.anyIdle();
    if (slot < 0) {
      return new Result(CommandOutcome.REJECTED, "no idle slot");
    }
    long generation = slot < slots.size() ? slots.generation(slot) : 0;
    switch (slots.requestRecycle(slot, clock.millis())) {
      case NO_SUCH_SLOT:
        return new Result(CommandOutcome.REJECTED, "no slot " + slot + " (the worker has " + slots.size() + ")");
      case RESTARTED_IDLE:
        return new Result(CommandOutcome.DONE, "slot " + slot + " was idle: restarted");
      default:
        break;
    }
    long waitMs = (deadline == null ? recycleDeadline : deadline).toMillis();
    if (slots.awaitRestart(slot, generation, waitMs)) {
      return new Result(CommandOutcome.DONE, "slot " + slot + " restarted after its job");
    }
    slots.cancel(slot);
    if (slots.awaitRestart(slot, generation, CANCEL_GRACE_MS)) {
      return new Result(CommandOutcome.DONE, "slot " + slot + ": its job was cancelled at the deadline; restarted");
    }
    return new Result(CommandOutcome.FAILED, "slot " + slot + ": its job ignored the cancellation; the slot "
        + "restarts when the job ends");
  }
}
