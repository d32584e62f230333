package dev.corral.sdk.internal;

import dev.corral.broker.BlockingConnection;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.FetchResult;
import dev.corral.broker.lifecycle.FetchedReply;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.scripts.MarkerConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A worker's fetch loop, run by its fetch thread: waits for a free slot, takes the next job and hands it to
 * {@link SlotChains}. When the last fetch found the queue empty, the next one waits behind a marker block (in
 * the same round trip on a plain-TCP Redis, {@link MarkerConnection}); a job it takes gets its virtual thread
 * before its reply is decoded. With no job it waits as BullMQ's worker does: out the rate limit, or reports
 * {@code drained} once and blocks on the marker (or sleeps until the next delayed job is due).
 *
 * <p>An error is reported to the listeners and the loop goes on after a backoff (100 ms, doubling up to 5 s,
 * reset by the next call that works). The loop ends once {@link Gate#running()} is false; the worker's close
 * interrupts the thread to end a wait. Not thread-safe: one thread runs {@link #run()}.
 */
public final class FetchLoop implements Runnable {

  /** What the loop asks of its worker. */
  public interface Gate {

    /** False once the worker is closing: the loop ends. */
    boolean running();

    /** Running and neither paused nor draining. */
    boolean takingJobs();

    /** Returns once the worker takes jobs again or is closing. */
    void awaitTakingJobs() throws InterruptedException;
  }

  private static final long MIN_ERROR_BACKOFF_MS = 100;
  private static final long MAX_ERROR_BACKOFF_MS = 5_000;
  /** Stands for a job already handed to its slot, its reply still being decoded. */
  private static final FetchResult DISPATCHED = new FetchResult(null, 0, 0);
  /** Stands for a fetch that did not run: the worker woke the connection (pause, drain, close) first. */
  private static final FetchResult NOT_RUN = new FetchResult(null, 0, 0);

  private final JobLifecycle lifecycle;
  private final MarkerWait markerWait;
  private final MarkerConnection marker; // null: block, then fetch in a second call
  private final Semaphore slots;
  private final SlotChains chains;
  private final Listeners listeners;
  private final Supplier<FetchRequest> requests;
  private final long maxRateLimitDelayMs;
  private final Gate gate;
  private final ReentrantLock fetching = new ReentrantLock(); // held from the gate's last word to the reply
  private boolean drainedReported;
  private long errorBackoffMs;
  private long blockMs; // > 0: the next fetch waits behind a marker block of that many milliseconds

  /**
   * @param drainDelay how long an idle worker blocks on the marker at most
   * @param maxRateLimitDelay the longest wait out of a rate limit before fetching again
   * @param requests a new lock token and the fetch options, per fetch
   */
  public FetchLoop(JobLifecycle lifecycle, BlockingConnection blocking, String markerKey, Clock clock,
      Duration drainDelay, Duration maxRateLimitDelay, Semaphore slots, SlotChains chains, Listeners listeners,
      Supplier<FetchRequest> requests, Gate gate) {
    this.lifecycle = lifecycle;
    this.markerWait = new MarkerWait(blocking, markerKey, clock, (int) drainDelay.toSeconds());
    this.marker = blocking.marker();
    this.slots = slots;
    this.chains = chains;
    this.listeners = listeners;
    this.requests = requests;
    this.maxRateLimitDelayMs = maxRateLimitDelay.toMillis();
    this.gate = gate;
  }

  @Override
  public void run() {
    while (gate.running()) {
      try {
        fetchOnce();
      } catch (InterruptedException e) {
        // closing (the loop ends) or a wait cut short: look again
      } catch (RuntimeException e) {
        if (!gate.running()) {
          break;
        }
        listeners.error(e);
        errorBackoffMs = Math.min(MAX_ERROR_BACKOFF_MS, Math.max(MIN_ERROR_BACKOFF_MS, errorBackoffMs * 2));
        try {
          Thread.sleep(errorBackoffMs);
        } catch (InterruptedException closing) {
          break;
        }
      }
    }
  }

  /**
   * Returns once a fetch that started before this call has its reply (at once when none is in flight), or after
   * {@code timeout}: a worker that stops taking jobs and then calls this knows that every job its fetches take
   * from now on was taken before (a block waiting in Redis must be woken first, or this waits for it).
   *
   * @return false when the fetch in flight did not end within {@code timeout}
   */
  public boolean awaitFetchInFlight(Duration timeout) throws InterruptedException {
    if (!fetching.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    fetching.unlock();
    return true;
  }

  /** One turn: a slot, a fetch, then the job dispatched or the wait for the next one. */
  private void fetchOnce() throws InterruptedException {
    gate.awaitTakingJobs();
    slots.acquire();
    FetchRequest request;
    long block;
    FetchResult result;
    fetching.lock();
    try {
      if (!gate.takingJobs()) { // closing, paused or drained while waiting for the slot
        slots.release();
        return;
      }
      request = requests.get();
      block = blockMs;
      blockMs = 0;
      result = block > 0 ? fetchAfterBlock(block, request) : fetchNow(request);
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    } finally {
      fetching.unlock();
    }
    errorBackoffMs = 0;
    if (result == NOT_RUN) { // the gate decides again; the block is still owed
      slots.release();
      blockMs = block;
      return;
    }
    if (result == DISPATCHED || result.job() != null) {
      drainedReported = false;
      if (result.job() != null) {
        chains.dispatch(result.job(), request.token()); // even when paused meanwhile: the job is ours now
      }
      return;
    }
    slots.release();
    awaitWork(result);
  }

  /** Blocks on the marker, then fetches; a job taken is dispatched before its reply is decoded. */
  private FetchResult fetchAfterBlock(long timeoutMs, FetchRequest request) {
    FetchedReply reply = lifecycle.fetchAfterMarker(marker, timeoutMs, request);
    if (reply.cutShort()) {
      return NOT_RUN;
    }
    chains.takeDrainedAtFinish(); // superseded by this fetch
    if (!reply.hasJob()) {
      return reply.decode();
    }
    chains.dispatchWhileDecoding(reply, request.token());
    return DISPATCHED;
  }

  private FetchResult fetchNow(FetchRequest request) {
    // right after a finish found the queue empty, go straight to the block, as BullMQ's worker does
    FetchResult drained = chains.takeDrainedAtFinish();
    return drained != null ? drained : lifecycle.fetch(request);
  }

  /** After a fetch that found no job: waits out a rate limit, or reports drained and plans the block. */
  private void awaitWork(FetchResult result) throws InterruptedException {
    if (result.rateLimitTtlMs() > 0) {
      Thread.sleep(Math.min(result.rateLimitTtlMs(), maxRateLimitDelayMs));
      return;
    }
    if (!drainedReported) {
      drainedReported = true;
      listeners.drained();
    }
    if (marker == null) {
      markerWait.await(result.nextDelayedDueMs());
      return;
    }
    blockMs = markerWait.blockMillis(result.nextDelayedDueMs());
  }
}
