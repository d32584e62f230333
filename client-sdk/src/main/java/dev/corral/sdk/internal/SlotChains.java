package dev.corral.sdk.internal;

import dev.corral.broker.Job;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.FetchResult;
import dev.corral.broker.lifecycle.FetchedReply;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs the jobs a worker takes on virtual threads, one chain per slot: each job is tracked in the worker's active
 * map (lock renewal, stalled and stuck reporting), runs on a slot of the {@link SlotTable}, and finishing it takes
 * the next job in the same script call while the worker takes jobs. A chain's end frees its slot and the
 * concurrency permit the fetch loop acquired for it. Thread-safe.
 */
public final class SlotChains {

  private final SlotTable slotTable;
  private final Semaphore slots;
  private final Map<String, ActiveJob> active;
  private final JobRunner runner;
  private final Listeners listeners;
  private final Clock clock;
  private final BooleanSupplier takingJobs;
  private final Supplier<FetchRequest> newRequest;
  private final ExecutorService jobThreads = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicReference<FetchResult> drainedAtFinish = new AtomicReference<>();

  /**
   * @param slots the worker's concurrency permits; a chain's end releases the one held for it
   * @param active the worker's jobs in progress, by id
   * @param takingJobs whether finishing a job may take the next one (not paused, draining or closing)
   * @param newRequest a fetch request with a fresh lock token
   */
  public SlotChains(SlotTable slotTable, Semaphore slots, Map<String, ActiveJob> active, JobRunner runner,
      Listeners listeners, Clock clock, BooleanSupplier takingJobs, Supplier<FetchRequest> newRequest) {
    this.slotTable = slotTable;
    this.slots = slots;
    this.active = active;
    this.runner = runner;
    this.listeners = listeners;
    this.clock = clock;
    this.takingJobs = takingJobs;
    this.newRequest = newRequest;
  }

  /**
   * The empty result of the last finish that asked for a next job and got none (not rate limited), cleared by
   * this call; null when there was none since the last call. A fetch loop that gets it need not fetch again
   * before blocking on the marker: a job added since then left a marker (BullMQ's worker blocks there too).
   */
  public FetchResult takeDrainedAtFinish() {
    return drainedAtFinish.getAndSet(null);
  }

  /** Starts no more job threads; those running finish. */
  public void shutdown() {
    jobThreads.shutdown();
  }

  /** Runs {@code job}, taken with {@code token}, on a new virtual thread (the caller holds a slot's permit). */
  public void dispatch(Job job, String token) {
    ActiveJob first = track(job, token);
    int slot = slotTable.claim();
    jobThreads.execute(() -> runChain(slot, job, first));
  }

  /**
   * Dispatches a job taken behind the marker block: its virtual thread is started first and the reply decoded
   * meanwhile, so the thread's scheduling overlaps the decoding. The slot's permit is held; a reply that
   * cannot be decoded is reported as an error and the job's thread frees the slot and the permit.
   */
  public void dispatchWhileDecoding(FetchedReply reply, String token) {
    int slot = slotTable.claim();
    CompletableFuture<Taken> decoded = new CompletableFuture<>();
    jobThreads.execute(() -> runDecoded(slot, decoded));
    try {
      Job job = reply.decode().job();
      decoded.complete(new Taken(job, track(job, token)));
    } catch (RuntimeException e) {
      decoded.completeExceptionally(e); // the job's thread frees the slot and its permit
      listeners.error(e);
    } catch (Error e) {
      decoded.completeExceptionally(e);
      throw e;
    }
  }

  /** A job taken and tracked. */
  private record Taken(Job job, ActiveJob active) {}

  private void runDecoded(int slot, CompletableFuture<Taken> decoded) {
    Taken first;
    try {
      first = decoded.join();
    } catch (CompletionException | CancellationException e) {
      slotTable.release(slot, clock.millis());
      slots.release();
      return;
    }
    runChain(slot, first.job(), first.active());
  }

  private ActiveJob track(Job job, String token) {
    ActiveJob a = new ActiveJob(job, token, clock.millis());
    active.put(job.id(), a);
    return a;
  }

  /**
   * Runs jobs back to back on one slot: finishing a job takes the next one in the same script call. A slot
   * asked to recycle ends its chain after the current job and hands a job already taken to a new thread.
   */
  private void runChain(int slot, Job firstJob, ActiveJob firstActive) {
    Job job = firstJob;
    ActiveJob current = firstActive;
    boolean handedOff = false;
    try {
      slotTable.running(slot, current, Thread.currentThread());
      while (job != null) {
        FetchRequest[] asked = new FetchRequest[1];
        int s = slot;
        FetchResult fetched;
        try {
          // decided at finishing time: a pause, drain or recycle during the attempt takes no next job
          fetched = runner.run(job, current, () -> takingJobs.getAsBoolean() && !slotTable.recycleRequested(s)
              ? (asked[0] = newRequest.get()) : (asked[0] = null));
        } finally {
          active.remove(job.id(), current);
        }
        FetchRequest next = asked[0];
        boolean recycle = slotTable.jobFinished(slot);
        Job nextJob = fetched != null && fetched.job() != null && next != null ? fetched.job() : null;
        if (next != null && fetched != null && fetched.job() == null && fetched.rateLimitTtlMs() == 0) {
          drainedAtFinish.set(fetched); // the queue had nothing for us: the fetch loop may block at once
        }
        ActiveJob nextActive = nextJob == null ? null : track(nextJob, next.token());
        if (recycle) {
          slotTable.restartBusy(slot, clock.millis());
          if (nextJob != null) {
            Job j = nextJob;
            jobThreads.execute(() -> runChain(slot, j, nextActive));
            handedOff = true;
          }
          return;
        }
        job = nextJob;
        current = nextActive;
        if (current != null) {
          slotTable.running(slot, current, Thread.currentThread());
        }
      }
    } catch (RuntimeException | Error e) {
      listeners.error(e);
    } finally {
      if (!handedOff) {
        slotTable.release(slot, clock.millis());
        slots.release();
      }
    }
  }
}
