package dev.corral.api.workers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.workers.CommandAudit;
import dev.corral.broker.workers.WorkerCommand;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerIds;
import dev.corral.broker.workers.WorkerJson;
import dev.corral.broker.workers.WorkerKeys;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * The worker side of remote commands over HTTP, under {@code /api/workers} (docs/api.md): a worker in any language
 * takes its pending commands ({@code GET /{id}/commands/pending}, optionally long-polling with {@code wait_ms})
 * and acknowledges each ({@code POST /{id}/commands/{c}/ack}), as the Java SDK does through
 * {@link WorkerCommands#take} and {@link WorkerCommands#ack}. A command is handed out once; acknowledging it twice
 * is 409.
 *
 * <p>Thread-safe.
 */
public final class WorkerCommandRoutes implements HttpService {

  /** Longest long-poll, in ms. */
  public static final int MAX_WAIT_MS = 30_000;

  /** How often a long-poll looks at the queue even without a nudge (a nudge lost while resubscribing). */
  private static final long RECHECK_MS = 1_000;

  private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final BrokerClient broker;
  private final WorkerRegistry registry;
  private final WorkerCommands commands;
  private final WorkerKeys keys;

  /** The routes over the command queues of {@code registry} on the Redis behind {@code broker}. */
  public WorkerCommandRoutes(BrokerClient broker, WorkerRegistry registry) {
    this.broker = broker;
    this.registry = registry;
    this.commands = new WorkerCommands(broker, registry);
    this.keys = registry.keys();
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{id}/commands/pending", this::pending)
        .post("/{id}/commands/{command}/ack", this::ack)
        .any("/{id}/commands/pending", MethodNotAllowedException.handler("GET"))
        .any("/{id}/commands/{command}/ack", MethodNotAllowedException.handler("POST"));
  }

  private void pending(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    int waitMs = Params.number("wait_ms", Requests.query(req, "wait_ms"), 0, 0, MAX_WAIT_MS);
    if (registry.get(id).isEmpty()) {
      throw notRegistered(id);
    }
    List<WorkerCommand> taken = waitMs == 0 ? commands.take(id) : takeWaiting(id, waitMs);
    long takenAt = broker.clock().millis();
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", id);
    out.put("taken_at", takenAt);
    ArrayNode list = out.putArray("commands");
    taken.forEach(c -> list.add(WorkerJson.MAPPER.valueToTree(c)));
    res.send(out);
  }

  /**
   * Takes the worker's commands, waiting up to {@code waitMs} for one to arrive: subscribed to the worker's nudge
   * channel first (so a command sent between the take and the wait wakes it), and looking again every second.
   */
  private List<WorkerCommand> takeWaiting(String id, int waitMs) {
    RTopic nudges = broker.redisson().getTopic(keys.commandChannel(id), StringCodec.INSTANCE);
    Semaphore nudged = new Semaphore(0);
    int listener = nudges.addListener(String.class, (channel, commandId) -> nudged.release());
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
      while (true) {
        List<WorkerCommand> taken = commands.take(id);
        long left = deadline - System.nanoTime();
        if (!taken.isEmpty() || left <= 0) {
          return taken;
        }
        nudged.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(RECHECK_MS)), TimeUnit.NANOSECONDS);
        nudged.drainPermits(); // the next take reads every command that came
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } finally {
      nudges.removeListener(listener);
    }
  }

  private void ack(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    String commandId = req.path().pathParameters().get("command");
    if (!COMMAND_ID.matcher(commandId).matches()) {
      throw ApiException.invalid("command_id", "command_id must be 1 to 64 characters of [A-Za-z0-9._-], was '"
          + commandId + "'");
    }
    WorkerBodies.AckBody body = WorkerBodies.ack(Requests.body(req));
    String json = broker.redisson().<String, String>getMap(keys.commands(id), StringCodec.INSTANCE).get(commandId);
    String takenAt = broker.redisson().<String, String>getMap(keys.taken(id), StringCodec.INSTANCE).get(commandId);
    if (json == null || takenAt == null) {
      throw whyNotAckable(id, commandId, json != null);
    }
    WorkerCommand command = WorkerJson.read(json, WorkerCommand.class);
    if (!commands.ack(command, Long.parseLong(takenAt), body.outcome(), body.detail())) {
      throw whyNotAckable(id, commandId, false); // acknowledged by a concurrent request
    }
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", id);
    out.put("command_id", commandId);
    out.put("outcome", body.outcome().wireName());
    out.put("acked", true);
    res.send(out);
  }

  /** 409 when the command is pending (not taken yet) or was acknowledged already, else 404. */
  private ApiException whyNotAckable(String id, String commandId, boolean pending) {
    if (pending) {
      return ApiException.conflict("command '" + commandId + "' of worker '" + id + "' has not been taken yet: "
          + "take it with GET /api/workers/" + id + "/commands/pending first", null);
    }
    Optional<CommandAudit> done = commands.audit(id, registry.settings().auditSize()).stream()
        .filter(a -> a.command().id().equals(commandId)).findFirst();
    if (done.isPresent()) {
      return ApiException.conflict("command '" + commandId + "' of worker '" + id + "' was acknowledged already ("
          + done.get().outcome().wireName() + " at " + done.get().ackedAt() + ")", null);
    }
    return ApiException.notFound("worker '" + id + "' has no command '" + commandId + "' (unknown worker or "
        + "command, or its audit entry has expired)");
  }

  private static String workerId(ServerRequest req) {
    try {
      return WorkerIds.validate(req.path().pathParameters().get("id"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("worker_id", e.getMessage());
    }
  }

  private static ApiException notRegistered(String id) {
    return ApiException.notFound("worker '" + id + "' is not registered (unknown, deregistered, or swept as "
        + "dead): register again");
  }
}
