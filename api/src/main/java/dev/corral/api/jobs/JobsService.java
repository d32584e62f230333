package dev.corral.api.jobs;

import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.InvalidRequestException;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.api.schemas.JobSchemas;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.Job;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.ScriptError;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.keys.QueueKeys;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs of one queue, under {@code /api/queues}: add ({@code POST /{queue}/jobs}), list, get, remove, retry
 * and promote. Request parsing is in {@link AddJobRequest}, {@link JobOptionsParser} and {@link Params}; an
 * added job's data must conform to its job name's schema ({@link JobSchemas}); this class does the I/O.
 * Thread-safe.
 */
public final class JobsService implements HttpService {

  /** Most jobs a {@code name} filter scans per request. */
  public static final int MAX_NAME_SCAN = 10_000;

  private static final int SCAN_BATCH = 500;
  private static final int MAX_LOG_LINES = 1000;

  private final BrokerClient broker;
  private final String prefix;
  private final IdempotencyKeys idempotency;
  private final JobSchemas schemas;

  /** The jobs resource on the Redis behind {@code broker}; added jobs' data is checked by {@code schemas}. */
  public JobsService(BrokerClient broker, String prefix, JobSchemas schemas) {
    this.broker = broker;
    this.prefix = prefix;
    this.idempotency = new IdempotencyKeys(broker);
    this.schemas = schemas;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/{queue}/jobs", this::add)
        .get("/{queue}/jobs", this::list)
        .get("/{queue}/jobs/{id}", this::get)
        .delete("/{queue}/jobs/{id}", this::remove)
        .post("/{queue}/jobs/{id}/retry", this::retry)
        .post("/{queue}/jobs/{id}/promote", this::promote)
        .any("/{queue}/jobs", MethodNotAllowedException.handler("GET, POST"))
        .any("/{queue}/jobs/{id}", MethodNotAllowedException.handler("GET, DELETE"))
        .any("/{queue}/jobs/{id}/retry", MethodNotAllowedException.handler("POST"))
        .any("/{queue}/jobs/{id}/promote", MethodNotAllowedException.handler("POST"));
  }

  private void add(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    AddJobRequest request = AddJobRequest.parse(Bodies.object(Requests.body(req)));
    schemas.checkJob(request.name(), request.data());
    if (request.idempotencyKey() == null) {
      String id = queue.add(request.name(), request.data(), request.options());
      res.status(Status.CREATED_201).send(Map.of("id", id));
      return;
    }
    IdempotencyKeys.Added added = idempotency.add(queue, request);
    res.status(added.created() ? Status.CREATED_201 : Status.OK_200)
        .send(Map.of("id", added.jobId(), "created", added.created()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    String id = jobId(req);
    boolean logs = Params.flag("logs", Requests.query(req, "logs"));
    Job job = existing(queue, id);
    JobView.Logs lines = null;
    if (logs) {
      Queue.JobLogs l = queue.getJobLogs(id, 0, MAX_LOG_LINES - 1, true);
      lines = new JobView.Logs(l.count(), l.logs());
    }
    res.send(JobView.of(queue.name(), job, queue.getState(id), lines));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    JobState state = JobPaging.state(Requests.query(req, "state"));
    Params.Page page = Params.page(Requests.query(req, "offset"), Requests.query(req, "limit"));
    String name = Requests.query(req, "name");
    if (name != null && (name.length() > AddJobRequest.MAX_TEXT || name.chars().anyMatch(Character::isISOControl))) {
      throw ApiException.invalid("name", "name must be at most " + AddJobRequest.MAX_TEXT
          + " characters without control characters");
    }
    List<JobState> states = JobPaging.states(state);
    Map<JobState, Long> counts = queue.getJobCounts(states.toArray(JobState[]::new));
    Map<JobState, Long> ordered = new LinkedHashMap<>();
    states.forEach(s -> ordered.put(s, counts.getOrDefault(s, 0L)));
    if (name != null) {
      res.send(listByName(queue, ordered, name, page));
      return;
    }
    List<Listed> jobs = new ArrayList<>();
    for (JobPaging.Slice slice : JobPaging.slices(ordered, page.offset(), page.limit())) {
      queue.getJobs(List.of(slice.state()), slice.start(), slice.end(), false)
          .forEach(job -> jobs.add(new Listed(job, slice.state())));
    }
    long total = ordered.values().stream().mapToLong(Long::longValue).sum();
    res.send(new JobView.Page(summaries(jobs), total, page.offset(), page.limit(), null));
  }

  /** A job and the state it was listed from. */
  private record Listed(Job job, JobState state) {}

  /** The page's summaries, with the workflow ids of their executions read in one batch. */
  private List<JobView.Summary> summaries(List<Listed> listed) {
    Map<String, String> workflows = WorkflowIds.of(broker, listed.stream().map(Listed::job).toList());
    return listed.stream().map(l -> JobView.Summary.of(l.job(), l.state(), workflows)).toList();
  }

  private JobView.Page listByName(Queue queue, Map<JobState, Long> counts, String name, Params.Page page) {
    List<Listed> jobs = new ArrayList<>();
    long matches = 0;
    long scanned = 0;
    boolean truncated = false;
    for (Map.Entry<JobState, Long> e : counts.entrySet()) {
      for (long start = 0; start < e.getValue() && !truncated; start += SCAN_BATCH) {
        List<Job> batch = queue.getJobs(List.of(e.getKey()), start, start + SCAN_BATCH - 1, false);
        for (Job job : batch) {
          if (scanned++ >= MAX_NAME_SCAN) {
            truncated = true;
            break;
          }
          if (name.equals(job.name())) {
            if (matches >= page.offset() && jobs.size() < page.limit()) {
              jobs.add(new Listed(job, e.getKey()));
            }
            matches++;
          }
        }
      }
    }
    return new JobView.Page(summaries(jobs), matches, page.offset(), page.limit(), truncated ? Boolean.TRUE : null);
  }

  private void remove(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    String id = jobId(req);
    boolean force = Params.flag("force", Requests.query(req, "force"));
    existing(queue, id);
    JobState state = queue.getState(id);
    if (state == JobState.ACTIVE && !force) {
      throw ApiException.conflict("job '" + id + "' is active; add ?force=true to remove it anyway (only "
          + "possible once its worker's lock has expired)", null);
    }
    boolean removed;
    try {
      removed = queue.remove(id, false);
    } catch (BrokerException e) {
      if (e.error() == ScriptError.JOB_BELONGS_TO_JOB_SCHEDULER) {
        throw ApiException.conflict("job '" + id + "' is a job scheduler's next run and cannot be removed", null);
      }
      throw e;
    }
    if (!removed) {
      throw ApiException.conflict("job '" + id + "' is locked by a worker and cannot be removed", null);
    }
    res.send(Map.of("id", id, "removed", true));
  }

  private void retry(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    String id = jobId(req);
    existing(queue, id);
    JobState state = queue.getState(id);
    if (state != JobState.FAILED && state != JobState.COMPLETED) {
      throw ApiException.conflict("job '" + id + "' is " + state.wireName()
          + "; only failed or completed jobs can be retried", null);
    }
    inState(() -> queue.retryJob(id, state), id, state);
    res.send(Map.of("id", id, "state", queue.getState(id).wireName()));
  }

  private void promote(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    String id = jobId(req);
    existing(queue, id);
    JobState state = queue.getState(id);
    if (state != JobState.DELAYED) {
      throw ApiException.conflict("job '" + id + "' is " + state.wireName() + "; only delayed jobs can be promoted",
          null);
    }
    inState(() -> queue.promote(id), id, state);
    res.send(Map.of("id", id, "state", queue.getState(id).wireName()));
  }

  /** Runs a state change, turning the script's "not in state" / "missing" answers into 409 / 404. */
  private static void inState(Runnable change, String id, JobState expected) {
    try {
      change.run();
    } catch (BrokerException e) {
      if (e.error() == ScriptError.JOB_NOT_EXIST) {
        throw ApiException.notFound("job '" + id + "' does not exist");
      }
      if (e.error() == ScriptError.JOB_NOT_IN_STATE) {
        throw ApiException.conflict("job '" + id + "' is no longer " + expected.wireName(), null);
      }
      throw e;
    }
  }

  private static Job existing(Queue queue, String id) {
    return queue.getJob(id).orElseThrow(() ->
        ApiException.notFound("job '" + id + "' does not exist in queue '" + queue.name() + "'"));
  }

  private Queue queue(ServerRequest req) {
    return queue(broker, prefix, req.path().pathParameters().get("queue"));
  }

  /** The queue {@code name} under {@code prefix}, 400 for a bad name. */
  public static Queue queue(BrokerClient broker, String prefix, String name) {
    try {
      QueueKeys.validateQueueName(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
    return broker.queue(name, QueueOptions.defaults().withPrefix(prefix));
  }

  private static String jobId(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    if (id.isEmpty() || id.length() > 1024 || id.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalid("id", "job id must be 1..1024 characters without control characters");
    }
    return id;
  }


}
