package dev.corral.api.schedulers;

import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.InvalidRequestException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.jobs.JobsService;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.api.schemas.JobSchemas;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.JobSchedulers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A queue's job schedulers (BullMQ's repeatable jobs), under {@code /api/queues}: {@code GET /{queue}/schedulers}
 * (by next due time), {@code GET}, {@code PUT} (create or replace, as bullmq's {@code upsertJobScheduler}) and
 * {@code DELETE /{queue}/schedulers/{id}}. Bodies are parsed by {@link UpsertSchedulerRequest}; the template's data
 * must conform to the schema of the iterations' job name. Iterations are ordinary jobs that Java and Node workers
 * both continue. Thread-safe.
 */
public final class SchedulersService implements HttpService {

  private final BrokerClient broker;
  private final String prefix;
  private final JobSchemas schemas;

  /** The schedulers resource on the Redis behind {@code broker}; template data is checked by {@code schemas}. */
  public SchedulersService(BrokerClient broker, String prefix, JobSchemas schemas) {
    this.broker = broker;
    this.prefix = prefix;
    this.schemas = schemas;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{queue}/schedulers", this::list)
        .get("/{queue}/schedulers/{id}", this::get)
        .put("/{queue}/schedulers/{id}", this::upsert)
        .delete("/{queue}/schedulers/{id}", this::remove)
        .any("/{queue}/schedulers", MethodNotAllowedException.handler("GET"))
        .any("/{queue}/schedulers/{id}", MethodNotAllowedException.handler("GET, PUT, DELETE"));
  }

  private void list(ServerRequest req, ServerResponse res) {
    JobSchedulers schedulers = schedulers(req);
    Params.Page page = Params.page(Requests.query(req, "offset"), Requests.query(req, "limit"));
    List<SchedulerView> views = schedulers.getJobSchedulers(page.offset(), page.offset() + page.limit() - 1L, true)
        .stream().map(SchedulerView::of).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("schedulers", views);
    body.put("total", schedulers.getJobSchedulersCount());
    body.put("offset", page.offset());
    body.put("limit", page.limit());
    res.send(body);
  }

  private void get(ServerRequest req, ServerResponse res) {
    String id = id(req);
    res.send(SchedulerView.of(schedulers(req).getJobScheduler(id)
        .orElseThrow(() -> ApiException.notFound("no job scheduler '" + id + "' in this queue"))));
  }

  private void upsert(ServerRequest req, ServerResponse res) {
    JobSchedulers schedulers = schedulers(req);
    String id = id(req);
    UpsertSchedulerRequest request = UpsertSchedulerRequest.parse(Bodies.object(Requests.body(req)));
    String jobName = request.template() != null && request.template().name() != null ? request.template().name() : id;
    schemas.checkJob(jobName, request.data() == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode() : request.data());
    Long endDate = request.repeat().endDate();
    long now = broker.clock().millis();
    if (endDate != null && endDate < now) {
      throw ApiException.invalid("repeat.end_date", "repeat.end_date must not be in the past, was " + endDate
          + " (now " + now + ")");
    }
    Optional<JobSchedulers.Iteration> next;
    try {
      next = schedulers.upsertJobScheduler(id, request.repeat(), request.template());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    } catch (BrokerException e) {
      throw ApiException.conflict(e.getMessage(), List.of());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scheduler", schedulers.getJobScheduler(id).map(SchedulerView::of).orElse(null));
    body.put("next_job_id", next.map(JobSchedulers.Iteration::jobId).orElse(null));
    body.put("next_delay_ms", next.map(JobSchedulers.Iteration::delay).orElse(null));
    res.send(body);
  }

  private void remove(ServerRequest req, ServerResponse res) {
    String id = id(req);
    if (!schedulers(req).removeJobScheduler(id)) {
      throw ApiException.notFound("no job scheduler '" + id + "' in this queue");
    }
    res.send(Map.of("id", id, "removed", true));
  }

  private JobSchedulers schedulers(ServerRequest req) {
    return JobsService.queue(broker, prefix, req.path().pathParameters().get("queue")).schedulers();
  }

  /** The path's scheduler id, checked as the broker checks it (400 for a bad one). */
  private static String id(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    try {
      JobSchedulers.validateId(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
    return id;
  }
}
