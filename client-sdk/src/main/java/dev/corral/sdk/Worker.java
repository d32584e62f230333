package dev.corral.sdk;

import dev.corral.broker.BlockingConnection;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobSchedulers;
import dev.corral.broker.support.Checks;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.sdk.internal.ActiveJob;
import dev.corral.sdk.internal.ActiveJobMaintenance;
import dev.corral.sdk.internal.FetchLoop;
import dev.corral.sdk.internal.JobRunner;
import dev.corral.sdk.internal.Listeners;
import dev.corral.sdk.internal.RegistryMembership;
import dev.corral.sdk.internal.RemoteControl;
import dev.corral.sdk.internal.SlotChains;
import dev.corral.sdk.internal.SlotTable;
import dev.corral.broker.workers.WorkerIds;
import dev.corral.broker.workers.WorkerRunState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Processes the jobs of one queue, as a BullMQ worker does, so Java and Node workers can share the queue:
 * blocks on the queue's marker while idle (no polling), takes jobs with a lock, renews the locks, runs the
 * processor on virtual threads ({@code concurrency} at once), completes/retries/fails with BullMQ's rules,
 * and runs the queue's stalled-job check. Its blocking connection is named so BullMQ's
 * {@code queue.getWorkers()} lists it. Unless {@link RegistryOptions#disabled()}, it also registers in the
 * worker registry, heartbeats, obeys remote commands (recycle, drain, pause, resume, shutdown) and records
 * stuck jobs (docs/workers.md).
 *
 * <p>Lifecycle: {@link #create} (starts at once unless {@code autorun} is off), {@link #start()},
 * {@link #close()} (graceful), {@link #close(Duration)}, {@link #forceClose()}. Thread-safe.
 *
 * @param <R> the processor's result type
 */
public final class Worker<R> implements AutoCloseable {

  private enum State { NEW, RUNNING, CLOSING, CLOSED }

  private final QueueKeys keys;
  private final BrokerClient client;
  private final JobLifecycle lifecycle;
  private final WorkerOptions options;
  private final JobRunner runner;
  /** How long {@link #pause()} waits for a fetch in flight (one script call; longer only when Redis is failing). */
  private static final Duration FETCH_IN_FLIGHT_WAIT = Duration.ofSeconds(15);

  private final Listeners listeners = new Listeners();
  private final String workerId;
  private final SlotTable slotTable;
  private final RegistryMembership membership;
  private final AtomicLong tokenCounter = new AtomicLong();
  private final Semaphore slots;
  private final Map<String, ActiveJob> active = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition resumed = lock.newCondition();
  private volatile State state = State.NEW;
  private volatile boolean paused;
  private volatile boolean draining;
  private volatile BlockingConnection blocking;
  private Thread fetcher;
  private volatile FetchLoop fetchLoop;
  private ScheduledExecutorService maintenance;
  private final ProcessReporting pool;
  private final ActiveJobMaintenance upkeep;
  private final SlotChains chains;

  private Worker(BrokerClient client, String queueName, Processor<R> processor, WorkerOptions options) {
    this.client = Checks.notNull(client, "client");
    this.options = Checks.notNull(options, "options");
    Checks.notNull(processor, "processor");
    this.keys = new QueueKeys(options.prefix(), queueName);
    this.lifecycle = new JobLifecycle(client, keys, options.metricsMaxDataPoints());
    this.workerId = options.workerId() != null ? options.workerId() : WorkerIds.generate();
    this.membership = options.registry().enabled()
        ? new RegistryMembership(client, keys, options, workerId, listeners) : null;
    this.runner = new JobRunner(lifecycle, processor, options, listeners,
        membership == null ? null : membership.stuck(), JobSchedulers.of(client, keys));
    this.slots = new Semaphore(options.concurrency());
    this.slotTable = new SlotTable(options.concurrency(), client.clock().millis());
    this.pool = processor instanceof ProcessReporting p ? p : null;
    this.upkeep = new ActiveJobMaintenance(lifecycle, options, active, listeners,
        membership == null ? null : membership.stuck(), client.clock());
    this.chains = new SlotChains(slotTable, slots, active, runner, listeners, client.clock(), this::takingJobs,
        this::newRequest);
  }

  /**
   * Creates a worker for {@code queueName}; starts it unless {@code options.autorun()} is false.
   *
   * @throws IllegalArgumentException for an invalid queue name or null arguments
   */
  public static <R> Worker<R> create(BrokerClient client, String queueName, Processor<R> processor,
      WorkerOptions options) {
    Worker<R> worker = new Worker<>(client, queueName, processor, options);
    if (options.autorun()) {
      worker.start();
    }
    return worker;
  }

  /** Creates and starts a worker with BullMQ's default options. */
  public static <R> Worker<R> create(BrokerClient client, String queueName, Processor<R> processor) {
    return create(client, queueName, processor, WorkerOptions.defaults());
  }

  /** Adds a listener for worker events. */
  public Worker<R> addListener(WorkerListener listener) {
    listeners.add(Checks.notNull(listener, "listener"));
    return this;
  }

  /**
   * Starts processing (and registers, unless the registry is disabled). Idempotent; a closed worker cannot be
   * restarted.
   *
   * @throws IllegalStateException when the registry has a live worker with this worker's id
   */
  public void start() {
    lock.lock();
    try {
      if (state != State.NEW) {
        return;
      }
      if (membership != null) {
        membership.start(new Control(), this::snapshot);
      }
      blocking = client.openBlockingConnection(keys.workerClientName(options.name()), keys.marker());
      maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("corral-maint-", 0).factory());
      long renewEvery = Math.max(1, options.lockRenewTime().toMillis() / 2);
      maintenance.scheduleWithFixedDelay(upkeep::renewLocks, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
      if (!options.skipStalledCheck()) {
        long every = options.stalledInterval().toMillis();
        maintenance.scheduleWithFixedDelay(upkeep::checkStalled, 0, every, TimeUnit.MILLISECONDS);
      }
      state = State.RUNNING;
      fetchLoop = new FetchLoop(lifecycle, blocking, keys.marker(), client.clock(), options.drainDelay(),
          options.maximumRateLimitDelay(), slots, chains, listeners, this::newRequest, new Gate());
      fetcher = Thread.ofPlatform().daemon().name("corral-fetch-" + keys.queueName()).start(fetchLoop);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking new jobs on this worker only (active jobs finish). No queue state in Redis changes. Returns once
   * a fetch in flight has its reply: an idle worker's marker block is ended ({@code CLIENT UNBLOCK}), so that the
   * fetch queued behind it runs now, not when the next job arrives (a job it takes then is processed, like one
   * fetched just before the pause). No job added after this returns is taken until {@link #resume()}.
   */
  public void pause() {
    paused = true;
    wakeFetcher();
    FetchLoop loop = fetchLoop;
    if (loop != null && state == State.RUNNING) {
      try {
        loop.awaitFetchInFlight(FETCH_IN_FLIGHT_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void wakeFetcher() {
    BlockingConnection b = blocking;
    if (b != null && state == State.RUNNING) {
      b.wake();
    }
  }

  /** Resumes taking jobs after {@link #pause()} or {@link #drain}. */
  public void resume() {
    lock.lock();
    try {
      paused = false;
      draining = false;
      resumed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the worker is running (started and not closing). */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Whether {@link #pause()} is in effect. */
  public boolean isPaused() {
    return paused;
  }

  /**
   * Stops taking jobs on this worker and waits up to {@code timeout} for its active jobs to finish. The worker
   * stays open and registered (shown as draining, then drained) until {@link #resume()} or {@link #close()}:
   * what an operator does before a deploy.
   *
   * @return true when no job is active any more
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    Checks.notNull(timeout, "timeout");
    draining = true;
    wakeFetcher(); // the fetcher holds a slot while blocked on the marker
    if (state != State.RUNNING) {
      return active.isEmpty();
    }
    if (slots.tryAcquire(options.concurrency(), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      slots.release(options.concurrency());
      return true;
    }
    return false;
  }

  /** Whether {@link #drain} is in effect. */
  public boolean isDraining() {
    return draining;
  }

  /**
   * Records stuck jobs of this worker in the stuck history (for a processor that enforces its own timeouts);
   * a no-op when the registry is disabled.
   */
  public StuckRecorder stuckRecorder() {
    return membership == null ? (job, reason, detail) -> { } : membership.stuck();
  }

  private RegistryMembership.Snapshot snapshot() {
    WorkerRunState s;
    if (state != State.RUNNING) {
      s = WorkerRunState.CLOSING;
    } else if (draining) {
      s = active.isEmpty() && slotTable.busyCount() == 0 ? WorkerRunState.DRAINED : WorkerRunState.DRAINING;
    } else {
      s = paused ? WorkerRunState.PAUSED : WorkerRunState.RUNNING;
    }
    return new RegistryMembership.Snapshot(s, java.util.List.copyOf(active.values()));
  }

  /** What remote commands may do to this worker. */
  private final class Control implements RemoteControl.Target {
    @Override
    public void pause() {
      Worker.this.pause();
    }

    @Override
    public void resume() {
      Worker.this.resume();
    }

    @Override
    public boolean drain(Duration timeout) throws InterruptedException {
      return Worker.this.drain(timeout);
    }

    @Override
    public boolean shutdown(Duration deadline) {
      return Worker.this.close(deadline);
    }

    @Override
    public SlotTable slots() {
      return slotTable;
    }

    @Override
    public ProcessReporting pool() {
      return pool;
    }
  }

  /** Ids of the jobs this worker is processing now. */
  public java.util.Set<String> activeJobIds() {
    return java.util.Set.copyOf(active.keySet());
  }

  /** This worker's unique id (the prefix of its lock tokens). */
  public String id() {
    return workerId;
  }

  /** Graceful close: stop fetching, let active jobs finish (up to 5 minutes), then release everything. */
  @Override
  public void close() {
    close(Duration.ofMinutes(5));
  }

  /**
   * Stops fetching and waits up to {@code timeout} for active jobs to finish; jobs still running then are
   * told to cancel and left to the stalled check of another worker.
   *
   * @return true when every active job finished in time
   */
  public boolean close(Duration timeout) {
    if (!beginClose(false)) {
      return true;
    }
    boolean finished;
    try {
      finished = slots.tryAcquire(options.concurrency(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      active.values().forEach(ActiveJob::cancel);
    }
    finishClose();
    return finished;
  }

  /** Closes at once: active jobs are told to cancel; their locks expire and the stalled check recovers them. */
  public void forceClose() {
    if (beginClose(true)) {
      active.values().forEach(ActiveJob::cancel);
      finishClose();
    }
  }

  /** With {@code force} the marker connection is cut: a fetch queued behind its block must not take a job. */
  private boolean beginClose(boolean force) {
    lock.lock();
    try {
      if (state == State.CLOSING || state == State.CLOSED) {
        return false;
      }
      boolean started = state == State.RUNNING;
      state = State.CLOSING;
      resumed.signalAll();
      if (!started) {
        state = State.CLOSED;
        chains.shutdown();
        return false;
      }
    } finally {
      lock.unlock();
    }
    // graceful, on an own connection: the fetch waiting behind the block finishes (and its job is processed)
    if (force || !blocking.wake()) {
      blocking.close();
    }
    fetcher.interrupt();
    return true;
  }

  private void finishClose() {
    try {
      fetcher.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    blocking.close();
    maintenance.shutdownNow();
    chains.shutdown();
    if (membership != null) {
      membership.close();
    }
    state = State.CLOSED;
  }

  // ------------------------------------------------------------------ fetching

  private FetchRequest newRequest() {
    String token = workerId + ":" + tokenCounter.getAndIncrement();
    return new FetchRequest(token, options.lockDuration().toMillis(), options.limiterMax(),
        options.limiterDuration().toMillis(), options.name());
  }

  /** The worker state the fetch loop reads. */
  private final class Gate implements FetchLoop.Gate {
    @Override
    public boolean running() {
      return state == State.RUNNING;
    }

    @Override
    public boolean takingJobs() {
      return Worker.this.takingJobs();
    }

    @Override
    public void awaitTakingJobs() throws InterruptedException {
      Worker.this.awaitTakingJobs();
    }
  }

  private boolean takingJobs() {
    return state == State.RUNNING && !paused && !draining;
  }

  private void awaitTakingJobs() throws InterruptedException {
    if (!paused && !draining) {
      return;
    }
    lock.lock();
    try {
      while ((paused || draining) && state == State.RUNNING) {
        resumed.await();
      }
    } finally {
      lock.unlock();
    }
  }
}
