package dev.corral.sdk.internal;

import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerCommand;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerKeys;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The thin I/O loop of a worker's registry membership, on one virtual thread: registers, heartbeats when
 * {@link HeartbeatState} says so, takes commands when the heartbeat reports some waiting or a nudge arrives on
 * the worker's command channel, and runs the throttled dead-worker sweep. Nothing it does can crash the worker:
 * a call that fails is counted, reported and retried.
 *
 * <p>Thread-safe.
 */
public final class HeartbeatLoop implements AutoCloseable {

  private final WorkerRegistry registry;
  private final WorkerCommands commands;
  private final WorkerRegistration registration;
  private final LongFunction<Heartbeat> payload;
  private final RemoteControl control;
  private final Clock clock;
  private final HeartbeatState state;
  private final boolean sweep;
  private final Consumer<Throwable> errors;
  private final RTopic nudges;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean running;
  private volatile boolean nudged;
  private int nudgeListener = -1;
  private Thread thread;

  /**
   * A loop for {@code registration}; {@code payload} builds a heartbeat from its sequence number.
   *
   * @param redis the client to subscribe with, or null for no nudges (commands at heartbeats only)
   */
  public HeartbeatLoop(WorkerRegistry registry, WorkerCommands commands, WorkerRegistration registration,
      LongFunction<Heartbeat> payload, RemoteControl control, Clock clock, boolean sweep, RedissonClient redis,
      Consumer<Throwable> errors) {
    this.registry = registry;
    this.commands = commands;
    this.registration = registration;
    this.payload = payload;
    this.control = control;
    this.clock = clock;
    this.sweep = sweep;
    this.errors = errors;
    this.state = new HeartbeatState(registration.heartbeatIntervalMs(), clock.millis());
    WorkerKeys keys = registry.keys();
    this.nudges = redis == null ? null : redis.getTopic(keys.commandChannel(registration.workerId()),
        StringCodec.INSTANCE);
  }

  /** The schedule and counters (read-only use). */
  public HeartbeatState state() {
    return state;
  }

  /**
   * Registers and starts the loop. A Redis failure here is retried by the loop.
   *
   * @throws IllegalStateException when a live worker holds the id
   */
  public void start() {
    try {
      registry.register(registration);
      state.registered(clock.millis());
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      state.failed(clock.millis());
      errors.accept(e);
    }
    if (nudges != null) {
      try {
        nudgeListener = nudges.addListener(String.class, (channel, id) -> nudge());
      } catch (RuntimeException e) {
        errors.accept(e); // commands still arrive with the heartbeats
      }
    }
    running = true;
    thread = Thread.ofVirtual().name("corral-heartbeat-" + registration.workerId()).start(this::loop);
  }

  /** Wakes the loop to read commands now. */
  public void nudge() {
    lock.lock();
    try {
      nudged = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (running) {
      long now = clock.millis();
      if (state.due(now)) {
        beat(now);
      }
      if (nudged) {
        nudged = false;
        takeCommands();
      }
      awaitNext();
    }
  }

  private void beat(long now) {
    try {
      if (state.needsRegistration()) {
        registry.register(registration);
        state.registered(now);
      }
      long pending = registry.heartbeat(registration, payload.apply(state.nextSeq()));
      if (pending < 0) {
        state.unregistered(clock.millis());
        return;
      }
      state.succeeded(now);
      if (pending > 0) {
        takeCommands();
      }
      if (sweep) {
        registry.sweepDead();
      }
    } catch (RuntimeException e) {
      state.failed(clock.millis());
      errors.accept(e);
    }
  }

  private void takeCommands() {
    try {
      List<WorkerCommand> taken = commands.take(registration.workerId());
      long takenAt = clock.millis();
      taken.forEach(c -> control.handle(c, takenAt));
    } catch (RuntimeException e) {
      nudged = true; // try again at the next wake-up
      errors.accept(e);
    }
  }

  private void awaitNext() {
    lock.lock();
    try {
      long delay = state.delayUntilDue(clock.millis());
      if (running && !nudged && delay > 0) {
        // a short cap keeps an injected (test) clock honest and costs nothing
        wake.await(Math.min(delay, 1000), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop and deregisters (best effort: a dead registry entry is swept anyway). */
  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (nudges != null && nudgeListener >= 0) {
      try {
        nudges.removeListener(nudgeListener);
      } catch (RuntimeException e) {
        errors.accept(e);
      }
    }
    try {
      registry.deregister(registration.workerId());
    } catch (RuntimeException e) {
      errors.accept(e);
    }
  }
}
