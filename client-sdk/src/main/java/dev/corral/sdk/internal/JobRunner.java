package dev.corral.sdk.internal;

import dev.corral.broker.BrokerException;
import dev.corral.broker.Job;
import dev.corral.broker.JobSchedulers;
import dev.corral.broker.LegacyRepeatableJobException;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.ScriptError;
import dev.corral.broker.support.Json;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.FetchResult;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.sdk.DelayJobException;
import dev.corral.sdk.Processor;
import dev.corral.sdk.RateLimitJobException;
import dev.corral.sdk.StuckRecorder;
import dev.corral.sdk.UnrecoverableJobException;
import dev.corral.sdk.WaitingChildrenException;
import dev.corral.sdk.WorkerOptions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs one attempt of a job and finishes it: completes, retries (now or delayed), delays, rate-limits or
 * fails it, exactly as a BullMQ worker would; optionally taking the next job in the same call.
 *
 * <p>Thread-safe: each call works on its own job.
 */
public final class JobRunner {

  /** The failure of a job started more than {@code maxStartedAttempts} times (BullMQ's message). */
  public static final String STARTED_TOO_OFTEN = "job started more than allowable limit";

  /** The prefix of a scheduling error (bullmq's message). */
  public static final String SCHEDULING_FAILED = "Failed to add repeatable job for next iteration: ";

  /**
   * A retry that took no next job: the caller fetches as usual. Compared by identity: {@code guarded} turns a
   * null result into EMPTY, which would mean "the queue had nothing" (drained).
   */
  private static final FetchResult RETRIED = new FetchResult(null, 0, 0);

  private final JobLifecycle lifecycle;
  private final Processor<?> processor;
  private final WorkerOptions options;
  private final Listeners listeners;
  private final StuckRecorder stuck;
  private final JobSchedulers schedulers;

  public JobRunner(JobLifecycle lifecycle, Processor<?> processor, WorkerOptions options, Listeners listeners) {
    this(lifecycle, processor, options, listeners, null);
  }

  /** A runner whose job contexts report stuck jobs to {@code stuck} (null: ignored). */
  public JobRunner(JobLifecycle lifecycle, Processor<?> processor, WorkerOptions options, Listeners listeners,
      StuckRecorder stuck) {
    this(lifecycle, processor, options, listeners, stuck, null);
  }

  /**
   * A runner that also continues job schedulers: when it takes a scheduler iteration it adds the next one
   * first, as a bullmq worker does at fetch ({@code schedulers} null: it does not).
   */
  public JobRunner(JobLifecycle lifecycle, Processor<?> processor, WorkerOptions options, Listeners listeners,
      StuckRecorder stuck, JobSchedulers schedulers) {
    this.schedulers = schedulers;
    this.stuck = stuck;
    this.lifecycle = lifecycle;
    this.processor = processor;
    this.options = options;
    this.listeners = listeners;
  }

  /**
   * Runs the processor for {@code job} and stores the outcome.
   *
   * @param next a request for the next job to take when finishing, or null
   * @return the next job taken with {@code next} (its {@code job()} may be null), or null when none was asked
   *     or the job did not finish through moveToFinished
   */
  public FetchResult run(Job job, ActiveJob active, FetchRequest next) {
    return run(job, active, () -> next);
  }

  /**
   * Runs the processor for {@code job} and stores the outcome; {@code next} is asked for the request of the
   * next job right before the finishing call (so a pause or drain during the attempt takes no next job).
   *
   * @param next gives a request for the next job, or null for none
   * @return the next job taken (its {@code job()} may be null), or null when none was asked or the job did not
   *     finish through moveToFinished
   */
  public FetchResult run(Job job, ActiveJob active, Supplier<FetchRequest> next) {
    if (!scheduleNextIteration(job)) {
      return null; // left active, its lock not renewed: the stalled check hands it out again
    }
    listeners.active(job);
    if (job.deferredFailure() != null) {
      // stalled too often, or a child with failParentOnFailure failed: fail without running the processor
      return finishFailed(job, active, new UnrecoverableJobException(job.deferredFailure()), next);
    }
    if (options.maxStartedAttempts() > 0 && job.attemptsStarted() > options.maxStartedAttempts()) {
      // started again after a stall, a processor's delay or a rate limit, more often than allowed
      return finishFailed(job, active, new UnrecoverableJobException(STARTED_TOO_OFTEN), next);
    }
    checkExecutionRunning(job, active);
    Object result;
    try {
      result = processor.process(new JobContextImpl(job, active, lifecycle, listeners::progress, stuck));
    } catch (DelayJobException e) {
      return guarded(job, () -> {
        lifecycle.moveToDelayed(job.id(), active.token(), e.delayMs(), null, null, true);
        return null;
      });
    } catch (WaitingChildrenException e) {
      return movedOut(job, active, true);
    } catch (RateLimitJobException e) {
      return guarded(job, () -> {
        lifecycle.rateLimit(e.durationMs());
        lifecycle.moveBackToWait(job.id(), active.token());
        return null;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finishFailed(job, active, e, next);
    } catch (Exception | Error e) {
      return finishFailed(job, active, e, next);
    }
    if (active.movedToWaitingChildren()) {
      return movedOut(job, active, false);
    }
    if (active.lockLost()) {
      listeners.error(new IllegalStateException("lock lost for job " + job.id() + "; its result is dropped"));
      return null;
    }
    String json;
    try {
      json = Json.write(result, "returnvalue", "null");
    } catch (IllegalArgumentException e) {
      return finishFailed(job, active, e, next);
    }
    FetchResult fetched;
    try {
      fetched = lifecycle.complete(job.id(), active.token(), json, keep(job, true), next.get());
    } catch (BrokerException e) {
      return completionRefused(job, active, e, next);
    }
    fetched = fetched == null ? FetchResult.EMPTY : fetched;
    listeners.completed(job, result);
    return fetched;
  }

  /**
   * A job scheduler's iteration ({@code rjk}) adds the scheduler's next iteration before it runs (bullmq's
   * worker does it when it fetches the job). A failure is reported as a worker error with bullmq's prefix and, as
   * in bullmq, the job is not processed: it stays active under a lock nobody renews, so the stalled check moves it
   * back to wait (an iteration is never failed for stalling) and the next fetch tries the scheduling again. A
   * legacy (BullMQ 5) key only stops the schedule: the job runs.
   *
   * @return false when the job must not run
   */
  private boolean scheduleNextIteration(Job job) {
    if (schedulers == null || !job.raw().containsKey("rjk")) {
      return true;
    }
    try {
      schedulers.scheduleNextIteration(job);
      return true;
    } catch (LegacyRepeatableJobException e) {
      listeners.error(e);
      return true;
    } catch (RuntimeException e) {
      listeners.error(new IllegalStateException(SCHEDULING_FAILED + e.getMessage(), e));
      return false;
    }
  }

  /**
   * The processor moved its job to waiting-children: the job is no longer this worker's, so nothing is finished.
   * Without the {@link WaitingChildrenException} that should follow the move, the processor's outcome is dropped
   * and reported (BullMQ's worker would fail to complete a job whose lock it gave up).
   */
  private FetchResult movedOut(Job job, ActiveJob active, boolean signalled) {
    if (!active.movedToWaitingChildren()) {
      listeners.error(new IllegalStateException("job " + job.id() + " threw WaitingChildrenException without"
          + " being moved to waiting-children (JobContext.moveToWaitingChildren returned false or was not called)"));
    } else if (!signalled) {
      listeners.error(new IllegalStateException("job " + job.id() + " was moved to waiting-children; its processor"
          + " should then throw WaitingChildrenException: its outcome is dropped"));
    }
    return null;
  }

  /**
   * A DAG node taken just before its execution failed or was cancelled starts with its cancellation signal
   * set; lock renewal catches the later cases. One HGET, for DAG nodes only; a failed read is reported and
   * left to lock renewal.
   */
  private void checkExecutionRunning(Job job, ActiveJob active) {
    String dagKey = job.raw().get("dagKey");
    if (dagKey == null) {
      return;
    }
    try {
      if (!lifecycle.dagNodes().executionRunning(dagKey)) {
        active.markExecutionStopped();
      }
    } catch (RuntimeException e) {
      listeners.error(e);
    }
  }

  /**
   * A flow parent whose completion was refused fails as in a Node worker: pending children (-4) is an ordinary
   * failure (retried while attempts remain), failed children (-9) an unrecoverable one. Any other refusal (a
   * lost lock, a missing job) is reported and the job left to its current owner or the stalled check.
   */
  private FetchResult completionRefused(Job job, ActiveJob active, BrokerException e,
      Supplier<FetchRequest> next) {
    if (e.error() == ScriptError.JOB_PENDING_CHILDREN) {
      return finishFailed(job, active, e, next);
    }
    if (e.error() == ScriptError.JOB_HAS_FAILED_CHILDREN) {
      return finishFailed(job, active, new UnrecoverableJobException(e.getMessage()), next);
    }
    listeners.error(e);
    return null;
  }

  private FetchResult finishFailed(Job job, ActiveJob active, Throwable error, Supplier<FetchRequest> next) {
    if (active.movedToWaitingChildren()) { // the job is no longer ours: nothing to fail
      return movedOut(job, active, false);
    }
    if (active.lockLost()) {
      listeners.error(new IllegalStateException("lock lost for job " + job.id() + "; its failure is dropped",
          error));
      return null;
    }
    RetryPlan plan = RetryPlan.decide(job, error, options.backoffStrategy(), ThreadLocalRandom.current()::nextDouble,
        options.maxStartedAttempts());
    String reason = plan.failureOverride() != null ? plan.failureOverride() : Failures.reason(error);
    String stack = Failures.appendStacktrace(job, error);
    FetchResult outcome = guarded(job, () -> switch (plan.kind()) {
      case FAIL -> lifecycle.fail(job.id(), active.token(), reason, stack, keep(job, false), job.attempts(),
          next.get());
      case RETRY_NOW -> {
        lifecycle.retry(job.id(), active.token(), reason, stack, job.opts().path("lifo").asBoolean(false));
        yield RETRIED;
      }
      case RETRY_DELAYED -> {
        // takes the next job in the same call, as BullMQ's retry with backoff (a retry now does not)
        FetchResult taken = lifecycle.moveToDelayed(job.id(), active.token(), plan.delayMs(), reason, stack, false,
            next.get());
        yield taken != null ? taken : RETRIED;
      }
    });
    if (outcome != null) {
      listeners.failed(job, error, plan.kind() != RetryPlan.Kind.FAIL);
    }
    return outcome == RETRIED ? null : outcome;
  }

  private interface Call {
    FetchResult run();
  }

  /** Runs a finishing call; a lost lock or missing job is reported as an error, not thrown. */
  private FetchResult guarded(Job job, Call call) {
    try {
      FetchResult r = call.run();
      return r == null ? FetchResult.EMPTY : r;
    } catch (BrokerException e) {
      listeners.error(e);
      return null;
    }
  }

  private KeepJobs keep(Job job, boolean completed) {
    KeepJobs own = KeepJobs.fromWire(job.opts() == null ? null
        : job.opts().get(completed ? "removeOnComplete" : "removeOnFail"));
    if (own != null) {
      return own;
    }
    KeepJobs fallback = completed ? options.removeOnComplete() : options.removeOnFail();
    return fallback != null ? fallback : KeepJobs.all();
  }
}
