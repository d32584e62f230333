package dev.corral.sdk.internal;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerRunState;
import dev.corral.sdk.ProcessReporting;
import dev.corral.sdk.RegistryOptions;
import dev.corral.sdk.WorkerOptions;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A worker's membership of the worker registry: its registration, heartbeat loop, remote control and stuck
 * reporter, wired together. Built with the worker; {@link #start} registers, {@link #close} deregisters.
 *
 * <p>Thread-safe.
 */
public final class RegistryMembership implements AutoCloseable {

  /** What the worker is doing and the jobs it holds, for a heartbeat. */
  public record Snapshot(WorkerRunState state, Collection<ActiveJob> jobs) {}

  private final BrokerClient client;
  private final QueueKeys keys;
  private final WorkerOptions options;
  private final RegistryOptions registryOptions;
  private final String workerId;
  private final Listeners listeners;
  private final WorkerRegistry registry;
  private final WorkerCommands commands;
  private final StuckReporter stuck;
  private volatile HeartbeatLoop loop;

  public RegistryMembership(BrokerClient client, QueueKeys keys, WorkerOptions options, String workerId,
      Listeners listeners) {
    this.client = client;
    this.keys = keys;
    this.options = options;
    this.registryOptions = options.registry();
    this.workerId = workerId;
    this.listeners = listeners;
    this.registry = new WorkerRegistry(client, keys.prefix(), registryOptions.settings());
    this.commands = new WorkerCommands(client, registry);
    this.stuck = new StuckReporter(client, new StuckHistory(client, registry), keys, workerId, listeners);
  }

  /** Records this worker's stuck jobs. */
  public StuckReporter stuck() {
    return stuck;
  }

  /** The heartbeat schedule and counters, once started. */
  public HeartbeatState heartbeatState() {
    HeartbeatLoop l = loop;
    return l == null ? null : l.state();
  }

  /**
   * Registers and starts heartbeating.
   *
   * @throws IllegalStateException when a live worker holds the id
   */
  public void start(RemoteControl.Target target, Supplier<Snapshot> snapshot) {
    ProcessReporting pool = target.pool();
    long now = client.clock().millis();
    WorkerRegistration registration = new WorkerRegistration(workerId, hostname(), ProcessHandle.current().pid(), now,
        registryOptions.version(), List.of(keys.queueName()), registryOptions.capabilities(), registryOptions.labels(),
        options.concurrency(), pool == null ? 0 : pool.minProcesses(), pool == null ? 0 : pool.maxProcesses(),
        registryOptions.metadata(), registryOptions.heartbeatInterval().toMillis(), registryOptions.deadAfterMissed());
    RemoteControl control = new RemoteControl(commands, target, client.clock(), registryOptions.recycleDeadline(),
        registryOptions.shutdownDeadline(), listeners::error);
    long pid = registration.pid();
    HeartbeatLoop[] self = new HeartbeatLoop[1];
    HeartbeatLoop l = new HeartbeatLoop(registry, commands, registration, seq -> {
      Snapshot s = snapshot.get();
      long at = client.clock().millis();
      List<ProcessInfo> processes = pool != null ? pool.processes() : target.slots().snapshot(keys.queueName(), pid, at);
      int min = pool != null ? pool.minProcesses() : options.concurrency();
      int max = pool != null ? pool.maxProcesses() : options.concurrency();
      HeartbeatState st = self[0].state();
      return Heartbeats.build(registration, at, seq, s.state(), processes, min, max, s.jobs(), keys.queueName(),
          stuck::workflowOf, listeners.processed(), listeners.failedCount(), st.totalFailures());
    }, control, client.clock(), registryOptions.sweepDeadWorkers(), registryOptions.nudges() ? client.redisson() : null,
        listeners::error);
    self[0] = l;
    l.start();
    loop = l;
  }

  @Override
  public void close() {
    HeartbeatLoop l = loop;
    if (l != null) {
      l.close();
    }
  }

  private static String hostname() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      name = System.getenv("HOSTNAME");
    }
    name = name == null || name.isEmpty() ? "unknown" : name;
    return name.length() > 255 ? name.substring(0, 255) : name;
  }
}
