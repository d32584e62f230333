package dev.corral.broker.workers;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Remote control of registered workers (docs/workers.md, "Commands"): {@link #send} queues a command in the
 * worker's durable command queue and nudges it on {@link WorkerKeys#commandChannel}; the worker
 * {@link #take}s its commands (at every heartbeat, and at once when nudged), carries them out and
 * {@link #ack}s each with an outcome, which goes to the worker's capped audit list.
 *
 * <p>Thread-safe; holds no state of its own.
 */
public final class WorkerCommands {

  /** Most commands one take returns. */
  public static final int TAKE_BATCH = 100;

  private final WorkerKeys keys;
  private final ScriptRunner scripts;
  private final RedissonClient redisson;
  private final Clock clock;
  private final RegistrySettings settings;

  /** The commands of the registry {@code registry}. */
  public WorkerCommands(BrokerClient client, WorkerRegistry registry) {
    Checks.notNull(client, "client");
    Checks.notNull(registry, "registry");
    this.keys = registry.keys();
    this.settings = registry.settings();
    this.scripts = client.scripts();
    this.redisson = client.redisson();
    this.clock = client.clock();
  }

  /**
   * Sends {@code type} to {@code workerId}.
   *
   * @param pid recycle: the process to replace (null: any idle one / a slot)
   * @param slot recycle of an in-JVM worker: the slot to restart (null: any idle one)
   * @param deadline recycle / shutdown: how long a busy job may still run (null: the worker's default)
   * @return the command id
   * @throws IllegalArgumentException for invalid arguments (naming the field)
   * @throws IllegalStateException when the worker is not registered or its queue is full
   */
  public String send(String workerId, CommandType type, Long pid, Integer slot, Duration deadline, String requester,
      String reason) {
    String id = newId();
    WorkerCommand cmd = new WorkerCommand(id, workerId, type, pid, slot, deadline == null ? 0 : deadline.toMillis(),
        requester, reason, clock.millis());
    List<Object> r = scripts.run(Command.WORKER_COMMAND_SEND, keys.base(), workerId, id, WorkerJson.write(cmd),
        String.valueOf(settings.maxPendingCommands()), keys.commandChannel(workerId));
    long code = (Long) r.get(0);
    if (code == -1) {
      throw new IllegalStateException("workerId '" + workerId + "' is not registered");
    }
    if (code == -2) {
      throw new IllegalStateException("worker '" + workerId + "' has " + settings.maxPendingCommands()
          + " commands pending already");
    }
    if (code < 0) {
      throw new IllegalStateException("command id " + id + " exists already");
    }
    return id;
  }

  /** Sends a command without pid, slot or deadline. */
  public String send(String workerId, CommandType type, String requester, String reason) {
    return send(workerId, type, null, null, null, requester, reason);
  }

  /** Takes the worker's pending commands, oldest first (each is handed out once). */
  public List<WorkerCommand> take(String workerId) {
    WorkerIds.validate(workerId);
    List<Object> r = scripts.run(Command.WORKER_COMMAND_TAKE, keys.base(), workerId, String.valueOf(clock.millis()),
        String.valueOf(TAKE_BATCH));
    List<WorkerCommand> out = new ArrayList<>(r.size());
    r.forEach(o -> out.add(WorkerJson.read((String) o, WorkerCommand.class)));
    return out;
  }

  /**
   * Acknowledges a taken command.
   *
   * @param takenAt when it was taken (ms)
   * @return false when it was not taken, or was acknowledged already
   */
  public boolean ack(WorkerCommand command, long takenAt, CommandOutcome outcome, String detail) {
    Checks.notNull(command, "command");
    Checks.notNull(outcome, "outcome");
    String d = detail == null ? "" : detail.length() > 2048 ? detail.substring(0, 2048) : detail;
    CommandAudit entry = new CommandAudit(command, takenAt, clock.millis(), outcome, d);
    List<Object> r = scripts.run(Command.WORKER_COMMAND_ACK, keys.base(), command.workerId(), command.id(),
        WorkerJson.write(entry), String.valueOf(settings.auditSize()), String.valueOf(settings.auditTtl().toSeconds()));
    return (Long) r.get(0) == 1;
  }

  /** The worker's last {@code limit} audit entries, newest first. */
  public List<CommandAudit> audit(String workerId, int limit) {
    WorkerIds.validate(workerId);
    Checks.inRange(limit, 1, settings.auditSize(), "limit");
    List<String> raw = redisson.<String>getList(keys.audit(workerId), StringCodec.INSTANCE).range(0, limit - 1);
    List<CommandAudit> out = new ArrayList<>(raw.size());
    raw.forEach(j -> out.add(WorkerJson.read(j, CommandAudit.class)));
    return out;
  }

  /** Commands sent to the worker and not yet read by it. */
  public int pendingCount(String workerId) {
    WorkerIds.validate(workerId);
    return redisson.getList(keys.commandQueue(workerId), StringCodec.INSTANCE).size();
  }

  private String newId() {
    return Long.toString(clock.millis(), 36) + "-"
        + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }
}
