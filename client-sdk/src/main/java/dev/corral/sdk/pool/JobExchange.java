package dev.corral.sdk.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.sdk.JobContext;
import java.util.concurrent.CancellationException;

/**
 * One job's conversation with one child, on the job's thread: sends the job line, maps progress and log lines
 * to the {@link JobContext}, returns the result or throws the child's error, and ends the attempt (killing the
 * child) on a timeout, a recycle deadline, cancellation, a protocol error or the child's death. Afterwards
 * {@link #reusable()} says whether the child may take another job. Not thread-safe (one job).
 */
final class JobExchange {

  private static final long EXIT_WAIT_MS = 1_000;

  private final PoolPolicy policy;
  private final ProcessPoolOptions options;
  private final PooledProcess process;
  private final ChildProcess child;
  private final JobContext ctx;
  private boolean reusable;

  JobExchange(PoolPolicy policy, ProcessPoolOptions options, PooledProcess process, JobContext ctx) {
    this.policy = policy;
    this.options = options;
    this.process = process;
    this.child = process.child;
    this.ctx = ctx;
  }

  /** Whether the job ended with the child's own answer (result or error), so the child can be reused. */
  boolean reusable() {
    return reusable;
  }

  /** Kills the child unless it answered; call when the exchange ends by an exception from the context. */
  void killUnlessAnswered() {
    if (!reusable) {
      child.kill();
    }
  }

  /**
   * Runs the job: sends {@code jobLine} and processes the child's lines until it answers.
   *
   * @return the child's result value (JSON null when it sent none)
   * @throws PoolJobException for a child error or when the pool ended the attempt
   * @throws dev.corral.sdk.UnrecoverableJobException for a child error marked unrecoverable
   * @throws CancellationException when the job was cancelled (the child is killed)
   */
  JsonNode run(String jobLine) throws InterruptedException {
    child.hasPendingOutput(); // drops a stale wake-up
    long timeoutAt = options.jobTimeout().isZero() ? Long.MAX_VALUE
        : policy.now() + options.jobTimeout().toMillis();
    child.send(jobLine);
    while (true) {
      PoolPolicy.Watch watch = policy.watch(timeoutAt, process.recycleDeadlineAtMs, ctx.isCancelled());
      switch (watch.kind()) {
        case CANCELLED -> {
          child.kill();
          throw new CancellationException("job " + jobId() + " was cancelled; pool process pid " + child.pid()
              + " was killed");
        }
        case TIMED_OUT -> throw killed(PoolJobException.Reason.TIMEOUT, "job " + jobId() + " timed out after "
            + options.jobTimeout().toMillis() + " ms (jobTimeout); pool process pid " + child.pid() + " was killed");
        case RECYCLE_DEADLINE -> throw killed(PoolJobException.Reason.RECYCLED, "pool process pid " + child.pid()
            + " was recycled (" + recycleReason() + ") and killed at its deadline of " + process.recycleDeadlineMs
            + " ms; job " + jobId() + " had not finished");
        case WAIT -> { }
      }
      ChildOutput out;
      try {
        out = child.poll(watch.waitMs());
      } catch (InterruptedException e) {
        child.kill();
        throw e;
      }
      JsonNode result = handle(out);
      if (reusable) {
        return result;
      }
    }
  }

  /** Acts on one output; returns the result and sets {@link #reusable} when the child answered. */
  private JsonNode handle(ChildOutput out) throws InterruptedException {
    if (out == null || out instanceof ChildOutput.Wake) {
      return null;
    }
    return switch (out) {
      case ChildOutput.Progress p -> {
        ctx.updateProgress(p.value());
        yield null;
      }
      case ChildOutput.Log l -> {
        ctx.log(l.line());
        yield null;
      }
      case ChildOutput.Result r -> {
        reusable = true;
        yield r.value();
      }
      case ChildOutput.Failure f -> {
        reusable = true;
        if (f.unrecoverable()) {
          throw new ChildUnrecoverableException(f.message(), f.stack());
        }
        throw new PoolJobException(PoolJobException.Reason.CHILD_ERROR, f.message(), f.stack());
      }
      case ChildOutput.Invalid i -> throw killed(PoolJobException.Reason.PROTOCOL, "protocol error from pool process"
          + " pid " + child.pid() + " while running job " + jobId() + ": " + i.problem() + "; the process was killed");
      case ChildOutput.Ready r -> throw killed(PoolJobException.Reason.PROTOCOL, "protocol error from pool process"
          + " pid " + child.pid() + " while running job " + jobId() + ": an unexpected ready message; the process"
          + " was killed");
      case ChildOutput.Closed c -> throw ended("while running job " + jobId(), c.detail());
      case ChildOutput.SendFailed s -> throw ended("when job " + jobId() + " was sent to it (" + s.detail() + ")",
          null);
      case ChildOutput.Wake w -> null;
    };
  }

  /** The child's stdout ended or its stdin broke: it was killed by the pool, it exited, or it closed stdout. */
  private PoolJobException ended(String when, String detail) throws InterruptedException {
    PoolJobException killedFor = process.killedFor;
    if (killedFor != null) {
      return killedFor;
    }
    String exit = child.describeExit(EXIT_WAIT_MS);
    if (exit != null) {
      return new PoolJobException(PoolJobException.Reason.CRASHED,
          "pool process pid " + child.pid() + " " + exit + " " + when + child.stderrSuffix());
    }
    child.kill();
    String what = detail == null || detail.equals("end of stdout") ? "closed its stdout" : detail;
    return new PoolJobException(PoolJobException.Reason.PROTOCOL, "pool process pid " + child.pid() + " " + what
        + " " + when + " without exiting; the process was killed" + child.stderrSuffix());
  }

  private PoolJobException killed(PoolJobException.Reason reason, String message) {
    child.kill();
    return new PoolJobException(reason, message);
  }

  private String recycleReason() {
    return process.recycleReason;
  }

  private String jobId() {
    return ctx.job().id();
  }
}
