package dev.corral.api.executions;

import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.api.schemas.JobSchemas;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagConflictException;
import dev.corral.broker.dag.DagExecution;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.DagValidator;
import dev.corral.broker.dag.ExecutionStatus;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.redisson.client.codec.StringCodec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * DAG executions under {@code /api/executions}: submit ({@code POST /}), list ({@code GET /}), get
 * ({@code GET /{id}}) and cancel ({@code POST /{id}/cancel}). Parsing is in {@link ExecutionRequest}; every
 * node's data must conform to its job name's schema ({@link JobSchemas}); this class does the I/O through the
 * broker's {@link DagExecutions}. Thread-safe.
 */
public final class ExecutionsService implements HttpService {

  private final BrokerClient broker;
  private final DagExecutions executions;
  private final JobSchemas schemas;

  /**
   * The resource over {@code executions}, on the Redis behind {@code broker}; every node's data is checked by
   * {@code schemas}.
   */
  public ExecutionsService(BrokerClient broker, DagExecutions executions, JobSchemas schemas) {
    this.broker = broker;
    this.executions = executions;
    this.schemas = schemas;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/", this::submit)
        .get("/", this::list)
        .get("/{id}", this::get)
        .post("/{id}/cancel", this::cancel)
        .any("/", MethodNotAllowedException.handler("GET, POST"))
        .any("/{id}", MethodNotAllowedException.handler("GET"))
        .any("/{id}/cancel", MethodNotAllowedException.handler("POST"));
  }

  private void submit(ServerRequest req, ServerResponse res) {
    DagSpec spec = ExecutionRequest.parse(Bodies.object(Requests.body(req)));
    schemas.checkNodes(spec.nodes());
    if (spec.idempotencyKey() != null) {
      // a given execution id comes back unchanged whether or not the key was known: look first
      String known = broker.redisson().<String>getBucket(
          executions.keys().idempotency(spec.idempotencyKey()), StringCodec.INSTANCE).get();
      if (known != null) {
        res.status(Status.OK_200).send(Map.of("id", known, "created", false));
        return;
      }
    }
    String id;
    try {
      id = executions.submit(spec);
    } catch (DagConflictException e) {
      throw ApiException.conflict(e.getMessage(),
          List.of(new FieldError(ExecutionRequest.snake(e.field()), e.node(), e.getMessage())));
    }
    boolean created = id.equals(spec.executionId());
    res.status(created ? Status.CREATED_201 : Status.OK_200).send(Map.of("id", id, "created", created));
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = execId(req);
    DagExecution execution = executions.get(id)
        .orElseThrow(() -> ApiException.notFound("execution '" + id + "' does not exist"));
    res.send(ExecutionView.of(execution));
  }

  private void list(ServerRequest req, ServerResponse res) {
    ExecutionStatus status = status(Requests.query(req, "status"));
    String workflow = Requests.query(req, "workflow");
    if (workflow != null && !DagValidator.ID.matcher(workflow).matches()) {
      throw ApiException.invalid("workflow", "workflow must match " + DagValidator.ID.pattern() + ", was '"
          + workflow + "'");
    }
    Params.Page page = Params.page(Requests.query(req, "offset"), Requests.query(req, "limit"));
    List<ExecutionView.Summary> list = executions.list(status, workflow, page.offset(), page.limit()).stream()
        .map(ExecutionView.Summary::of).toList();
    res.send(new ExecutionView.Page(list, page.offset(), page.limit(), list.size() == page.limit()));
  }

  private void cancel(ServerRequest req, ServerResponse res) {
    String id = execId(req);
    boolean cancelled;
    try {
      cancelled = executions.cancel(id);
    } catch (NoSuchElementException e) {
      throw ApiException.notFound("execution '" + id + "' does not exist");
    }
    DagExecution now = executions.get(id)
        .orElseThrow(() -> ApiException.notFound("execution '" + id + "' does not exist"));
    if (!cancelled && now.status() != ExecutionStatus.CANCELLED) {
      throw ApiException.conflict("execution '" + id + "' has already ended: " + now.status().wireName(), null);
    }
    res.send(Map.of("id", id, "cancelled", cancelled, "status", now.status().wireName()));
  }

  /** The {@code status} parameter, 400 naming it when unknown. */
  static ExecutionStatus status(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ExecutionStatus.fromWireName(value.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("status", "status must be running, completed, failed or cancelled, was '"
          + value + "'");
    }
  }

  private static String execId(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    if (!DagValidator.ID.matcher(id).matches()) {
      throw ApiException.invalid("id", "execution id must match " + DagValidator.ID.pattern() + ", was '" + id + "'");
    }
    return id;
  }


}
