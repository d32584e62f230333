package dev.corral.api.workers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.auth.ApiGuard;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.metrics.CommandCounts;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.workers.CommandAudit;
import dev.corral.broker.workers.CommandType;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerIds;
import dev.corral.broker.workers.WorkerJson;
import dev.corral.broker.workers.WorkerRegistration;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.workers.WorkerStatus;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * The worker registry over HTTP, under {@code /api/workers} (docs/api.md, "Workers"): register, heartbeat,
 * deregister, list, get, commands (send and audit) and process recycle, for workers in any language and for
 * operators. The requester of a command is the caller's role when the guard knows it, else the body's
 * {@code requester}, else {@code api}.
 *
 * <p>Thread-safe.
 */
public final class WorkersService implements HttpService {

  private static final String ID = "id";

  private final BrokerClient broker;
  private final WorkerRegistry registry;
  private final WorkerCommands commands;
  private final CommandCounts sent;

  /** The routes over {@code registry} on the Redis behind {@code broker}, not counting commands sent. */
  public WorkersService(BrokerClient broker, WorkerRegistry registry) {
    this(broker, registry, new CommandCounts());
  }

  /** The routes over {@code registry} on the Redis behind {@code broker}, counting commands sent in {@code sent}. */
  public WorkersService(BrokerClient broker, WorkerRegistry registry, CommandCounts sent) {
    this.broker = broker;
    this.registry = registry;
    this.commands = new WorkerCommands(broker, registry);
    this.sent = sent;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/register", this::register)
        .get("/{id}", this::get)
        .delete("/{id}", this::deregister)
        .post("/{id}/heartbeat", this::heartbeat)
        .post("/{id}/commands", this::send)
        .get("/{id}/commands", this::audit)
        .post("/{id}/processes/{pid}/recycle", this::recycle)
        .any("/", MethodNotAllowedException.handler("GET"))
        .any("/register", MethodNotAllowedException.handler("POST"))
        .any("/{id}", MethodNotAllowedException.handler("GET, DELETE"))
        .any("/{id}/heartbeat", MethodNotAllowedException.handler("POST"))
        .any("/{id}/commands", MethodNotAllowedException.handler("GET, POST"))
        .any("/{id}/processes/{pid}/recycle", MethodNotAllowedException.handler("POST"));
  }

  private void register(ServerRequest req, ServerResponse res) {
    WorkerRegistration reg = WorkerBodies.registration(Requests.body(req), broker.clock().millis(),
        ApiGuard.callerWorkers(req));
    try {
      registry.register(reg);
    } catch (IllegalStateException e) {
      throw ApiException.conflict(e.getMessage(), List.of(dev.corral.api.errors.FieldError.of("worker_id",
          "a live worker has this id")));
    }
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", reg.workerId());
    out.put("heartbeat_interval_ms", reg.heartbeatIntervalMs());
    out.put("dead_after_missed", reg.deadAfterMissed());
    res.status(Status.CREATED_201);
    res.headers().location(java.net.URI.create("/api/workers/" + reg.workerId()));
    res.send(out);
  }

  private void heartbeat(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    Heartbeat hb = WorkerBodies.heartbeat(Requests.body(req), id, broker.clock().millis());
    WorkerStatus status = registry.get(id).orElseThrow(() -> notRegistered(id));
    long pending = registry.heartbeat(status.registration(), hb);
    if (pending < 0) {
      throw notRegistered(id);
    }
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", id);
    out.put("pending_commands", pending);
    res.send(out);
  }

  private void deregister(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    if (!registry.deregister(id)) {
      throw notRegistered(id);
    }
    res.status(Status.NO_CONTENT_204).send();
  }

  private void list(ServerRequest req, ServerResponse res) {
    Params.Page page = Params.page(req.query().first("offset").orElse(null),
        req.query().first("limit").orElse(null));
    List<ObjectNode> workers = registry.list(page.offset(), page.limit()).stream()
        .map(WorkersService::summary).toList();
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.set("workers", WorkerJson.MAPPER.valueToTree(workers));
    out.put("offset", page.offset());
    out.put("limit", page.limit());
    res.send(out);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    WorkerStatus status = registry.get(id).orElseThrow(() -> notRegistered(id));
    ObjectNode out = summary(status);
    out.set("registration", WorkerJson.MAPPER.valueToTree(status.registration()));
    out.set("heartbeat", WorkerJson.MAPPER.valueToTree(status.heartbeat()));
    out.put("pending_commands", commands.pendingCount(id));
    res.send(out);
  }

  private void send(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    WorkerBodies.CommandBody body = WorkerBodies.command(Requests.body(req));
    accepted(res, id, body.type(), send(req, id, body, null));
  }

  private void recycle(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    String rawPid = req.path().pathParameters().get("pid");
    long pid;
    try {
      pid = Long.parseLong(rawPid);
    } catch (NumberFormatException e) {
      pid = -1;
    }
    if (pid < 1) {
      throw ApiException.invalid("pid", "pid must be a whole number > 0, was '" + rawPid + "'");
    }
    byte[] raw = Requests.body(req);
    accepted(res, id, CommandType.RECYCLE, send(req, id, WorkerBodies.recycle(raw), pid));
  }

  private String send(ServerRequest req, String id, WorkerBodies.CommandBody body, Long pid) {
    String requester = ApiGuard.callerRole(req).map(r -> r.configName())
        .orElse(body.requester() == null ? "api" : body.requester());
    try {
      String commandId = commands.send(id, body.type(), pid, null, null, requester, body.reason());
      sent.sent(body.type());
      return commandId;
    } catch (IllegalStateException e) {
      if (registry.get(id).isEmpty()) {
        throw notRegistered(id);
      }
      throw ApiException.conflict(e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(WorkerBodies.fieldOf(e.getMessage()), e.getMessage());
    }
  }

  private static void accepted(ServerResponse res, String workerId, CommandType type, String commandId) {
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("command_id", commandId);
    out.put("worker_id", workerId);
    out.put("type", type.wireName());
    res.status(Status.ACCEPTED_202).send(out);
  }

  private void audit(ServerRequest req, ServerResponse res) {
    String id = workerId(req);
    int limit = Params.number("limit", req.query().first("limit").orElse(null),
        Math.min(100, registry.settings().auditSize()), 1, registry.settings().auditSize());
    List<CommandAudit> entries = commands.audit(id, limit);
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", id);
    out.put("pending_commands", commands.pendingCount(id));
    out.set("audit", WorkerJson.MAPPER.valueToTree(entries));
    res.send(out);
  }

  /** The list view of one worker: identity, liveness, process and execution counts. */
  public static ObjectNode summary(WorkerStatus s) {
    WorkerRegistration reg = s.registration();
    Heartbeat hb = s.heartbeat();
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("worker_id", reg.workerId());
    out.put("hostname", reg.hostname());
    out.put("pid", reg.pid());
    out.put("version", reg.version());
    out.set("queues", WorkerJson.MAPPER.valueToTree(reg.queues()));
    out.put("liveness", s.liveness().wireName());
    out.put("state", hb == null || hb.state() == null ? null : WorkerJson.MAPPER.valueToTree(hb.state()).asText());
    out.put("load", hb == null ? 0 : hb.load());
    out.put("concurrency", reg.concurrency());
    out.put("processes", hb == null || hb.info() == null ? 0 : hb.info().processes().size());
    out.put("executions", hb == null ? 0 : hb.jobs().size());
    out.put("registered_at", s.registeredAt());
    out.put("last_heartbeat_at", s.lastHeartbeatAt());
    out.put("heartbeats", s.heartbeats());
    out.put("missed_heartbeats", s.missedHeartbeats());
    return out;
  }

  private static String workerId(ServerRequest req) {
    String id = req.path().pathParameters().get(ID);
    try {
      return WorkerIds.validate(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("worker_id", e.getMessage());
    }
  }

  private static ApiException notRegistered(String id) {
    return ApiException.notFound("worker '" + id + "' is not registered (unknown, deregistered, or swept as "
        + "dead): register again");
  }

}
