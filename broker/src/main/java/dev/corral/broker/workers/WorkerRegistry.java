package dev.corral.broker.workers;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker registry of one prefix (docs/workers.md): workers register on start, heartbeat every interval
 * with their load, processes and jobs, and deregister on close; liveness is computed from the last heartbeat
 * and the worker's own interval ({@link Liveness}); {@link #sweepDead()} removes dead workers and records
 * their jobs in the stuck history. Each write is one script on the registry's hash slot. The SDK's Worker
 * drives it; tools read it.
 *
 * <p>Thread-safe; holds no state of its own.
 */
public final class WorkerRegistry {

  /** Most workers one {@link #list} call returns. */
  public static final int MAX_LIST = 10_000;
  /** Most dead workers one sweep call removes. */
  static final int SWEEP_BATCH = 100;

  private final WorkerKeys keys;
  private final ScriptRunner scripts;
  private final Clock clock;
  private final RegistrySettings settings;

  /** The registry under {@code prefix} with default settings. */
  public WorkerRegistry(BrokerClient client, String prefix) {
    this(client, prefix, RegistrySettings.defaults());
  }

  /** The registry under {@code prefix}. */
  public WorkerRegistry(BrokerClient client, String prefix, RegistrySettings settings) {
    Checks.notNull(client, "client");
    this.keys = new WorkerKeys(prefix);
    this.scripts = client.scripts();
    this.clock = client.clock();
    this.settings = Checks.notNull(settings, "settings");
  }

  /** The registry's keys. */
  public WorkerKeys keys() {
    return keys;
  }

  /** The registry's settings. */
  public RegistrySettings settings() {
    return settings;
  }

  /**
   * Registers a worker (or re-registers it after it was swept while unreachable).
   *
   * @throws IllegalStateException when the id belongs to a live worker
   */
  public void register(WorkerRegistration registration) {
    Checks.notNull(registration, "registration");
    List<Object> r = scripts.run(Command.WORKER_REGISTER, keys.base(), registration.workerId(), now(),
        String.valueOf(registration.heartbeatIntervalMs()), String.valueOf(registration.deadAfterMissed()),
        WorkerJson.write(registration), String.valueOf(settings.auditSize()),
        String.valueOf(settings.auditTtl().toSeconds()));
    if ((Long) r.get(0) < 0) {
      throw new IllegalStateException("workerId '" + registration.workerId()
          + "' is already registered by a live worker");
    }
  }

  /**
   * Records a heartbeat of a registered worker and publishes it on {@link WorkerKeys#heartbeatChannel()}.
   *
   * @return the number of commands waiting for the worker, or -1 when it is not registered (it was swept as
   *     dead): register again
   */
  public long heartbeat(WorkerRegistration registration, Heartbeat heartbeat) {
    Checks.notNull(registration, "registration");
    Checks.notNull(heartbeat, "heartbeat");
    Checks.isTrue(heartbeat.workerId().equals(registration.workerId()),
        "heartbeat.workerId must be the registration's (%s), was %s", registration.workerId(), heartbeat.workerId());
    List<Object> args = new ArrayList<>(5 + heartbeat.jobs().size() * 2);
    args.add(registration.workerId());
    args.add(now());
    args.add(String.valueOf(registration.heartbeatIntervalMs()));
    args.add(String.valueOf(registration.deadAfterMissed()));
    args.add(WorkerJson.write(heartbeat));
    for (ActiveJobInfo job : heartbeat.jobs()) {
      args.add(job.ref());
      args.add(WorkerJson.write(job));
    }
    List<Object> r = scripts.run(Command.WORKER_HEARTBEAT, keys.base(), args.toArray());
    long code = (Long) r.get(0);
    return code < 0 ? -1 : (Long) r.get(1);
  }

  /**
   * Removes a closing worker; its pending commands are audited as undelivered.
   *
   * @return false when it was not registered
   */
  public boolean deregister(String workerId) {
    WorkerIds.validate(workerId);
    List<Object> r = scripts.run(Command.WORKER_DEREGISTER, keys.base(), workerId, now(),
        String.valueOf(settings.auditSize()), String.valueOf(settings.auditTtl().toSeconds()));
    return (Long) r.get(0) == 1;
  }

  /** Registered workers, most recent heartbeat first (at most {@code limit} from {@code offset}). */
  public List<WorkerStatus> list(int offset, int limit) {
    Checks.atLeast(offset, 0, "offset");
    Checks.inRange(limit, 1, MAX_LIST, "limit");
    return decode(scripts.run(Command.WORKER_LIST, keys.base(), String.valueOf(offset), String.valueOf(limit)));
  }

  /** Every registered worker, most recent heartbeat first (at most {@value #MAX_LIST}). */
  public List<WorkerStatus> list() {
    return list(0, MAX_LIST);
  }

  /** The worker {@code workerId}, if registered. */
  public Optional<WorkerStatus> get(String workerId) {
    WorkerIds.validate(workerId);
    List<WorkerStatus> one = decode(scripts.run(Command.WORKER_LIST, keys.base(), "0", "1", workerId));
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  /**
   * Removes workers that missed their dead-after count of heartbeats (at most once per
   * {@link RegistrySettings#sweepThrottle()} whoever calls it, at most {@value #SWEEP_BATCH} per call), recording
   * each job they last reported as a {@code dead-worker} event in the stuck history. The jobs themselves go
   * back to their queues through the stalled check once their locks expire.
   *
   * @return the workers removed by this call
   */
  public List<DeadWorker> sweepDead() {
    return sweep(settings.sweepThrottle().toMillis());
  }

  /** {@link #sweepDead()} without the throttle (tools, tests). */
  public List<DeadWorker> sweepDeadNow() {
    return sweep(0);
  }

  private List<DeadWorker> sweep(long throttleMs) {
    List<Object> r = scripts.run(Command.WORKER_SWEEP, keys.base(), now(), String.valueOf(throttleMs),
        String.valueOf(settings.stuckRetention().toSeconds()), String.valueOf(settings.stuckLogPerHour()),
        String.valueOf(settings.auditSize()), String.valueOf(settings.auditTtl().toSeconds()),
        String.valueOf(SWEEP_BATCH));
    List<DeadWorker> out = new ArrayList<>(r.size());
    for (Object o : r) {
      List<?> entry = (List<?>) o;
      List<ActiveJobInfo> jobs = new ArrayList<>();
      for (Object j : (List<?>) entry.get(1)) {
        jobs.add(WorkerJson.read((String) j, ActiveJobInfo.class));
      }
      out.add(new DeadWorker((String) entry.get(0), jobs));
    }
    return out;
  }

  private List<WorkerStatus> decode(List<Object> reply) {
    long now = clock.millis();
    List<WorkerStatus> out = new ArrayList<>(reply.size());
    for (Object o : reply) {
      List<?> f = (List<?>) o;
      WorkerRegistration reg = WorkerJson.read((String) f.get(1), WorkerRegistration.class);
      String hb = (String) f.get(2);
      long last = Long.parseLong((String) f.get(3));
      long interval = Long.parseLong((String) f.get(4));
      int deadAfter = Integer.parseInt((String) f.get(5));
      out.add(new WorkerStatus(reg, hb.isEmpty() ? null : WorkerJson.read(hb, Heartbeat.class),
          Long.parseLong((String) f.get(6)), last, Long.parseLong((String) f.get(7)),
          Liveness.missed(last, interval, now), Liveness.of(last, interval, deadAfter, now)));
    }
    return out;
  }

  private String now() {
    return String.valueOf(clock.millis());
  }
}
