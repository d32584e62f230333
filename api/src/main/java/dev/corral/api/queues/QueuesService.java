package dev.corral.api.queues;

import dev.corral.api.errors.InvalidRequestException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Params;
import dev.corral.api.requests.Requests;
import dev.corral.api.stats.SnapshotReader;
import dev.corral.api.stats.SystemSnapshot;
import dev.corral.api.workers.WorkersService;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.JobMetrics;
import dev.corral.broker.JobState;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueConnections;
import dev.corral.broker.QueueStats;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The queues, under {@code /api/queues}: {@code GET /} (every queue of the prefix with its counts),
 * {@code GET /{queue}} (counts, priorities, a job-name sample, workers, meta), {@code GET /{queue}/metrics}
 * (BullMQ's worker metrics: finished jobs per minute), {@code POST /{queue}/pause},
 * {@code /resume}, {@code /drain} and {@code /clean}. Request bodies are parsed by {@link QueueBodies}.
 *
 * <p>Thread-safe.
 */
public final class QueuesService implements HttpService {

  /** Jobs whose name {@code GET /{queue}} reads by default ({@code ?sample=} changes it). */
  public static final int DEFAULT_NAME_SAMPLE = 1000;

  /** Largest {@code ?sample=}. */
  public static final int MAX_NAME_SAMPLE = 10_000;

  /** Per-minute points {@code GET /{queue}/metrics} returns by default ({@code ?points=} changes it). */
  public static final int DEFAULT_METRICS_POINTS = 60;

  /** Largest {@code ?points=}: one week of minutes. */
  public static final int MAX_METRICS_POINTS = 10_080;

  /** Most distinct priorities {@code GET /{queue}} lists. */
  public static final int MAX_PRIORITIES = 1000;

  private static final String QUEUE = "queue";

  private final BrokerClient broker;
  private final String prefix;
  private final WorkerRegistry registry;
  private final SnapshotReader snapshots;

  /** The queue resource on the Redis behind {@code broker}, with the workers of {@code registry}. */
  public QueuesService(BrokerClient broker, String prefix, WorkerRegistry registry, SnapshotReader snapshots) {
    this.broker = broker;
    this.prefix = prefix;
    this.registry = registry;
    this.snapshots = snapshots;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .get("/{queue}", this::get)
        .get("/{queue}/metrics", this::metrics)
        .post("/{queue}/pause", this::pause)
        .post("/{queue}/resume", this::resume)
        .post("/{queue}/drain", this::drain)
        .post("/{queue}/clean", this::clean)
        .any("/", MethodNotAllowedException.handler("GET"))
        .any("/{queue}", MethodNotAllowedException.handler("GET"))
        .any("/{queue}/metrics", MethodNotAllowedException.handler("GET"))
        .any("/{queue}/pause", MethodNotAllowedException.handler("POST"))
        .any("/{queue}/resume", MethodNotAllowedException.handler("POST"))
        .any("/{queue}/drain", MethodNotAllowedException.handler("POST"))
        .any("/{queue}/clean", MethodNotAllowedException.handler("POST"));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Params.Page page = Params.page(Requests.query(req, "offset"), Requests.query(req, "limit"));
    List<String> names = new ArrayList<>(snapshots.queueNames());
    List<QueueListView.Entry> entries = new ArrayList<>();
    for (int i = page.offset(); i < names.size() && entries.size() < page.limit(); i++) {
      SystemSnapshot.QueueEntry q = snapshots.queue(names.get(i));
      entries.add(new QueueListView.Entry(q.name(), q.paused(), QueueView.byWireName(q.counts())));
    }
    res.send(new QueueListView(entries, names.size(), page.offset(), page.limit()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    int sample = Params.number("sample", Requests.query(req, "sample"), DEFAULT_NAME_SAMPLE, 0, MAX_NAME_SAMPLE);
    Queue queue = queue(req);
    QueueStats stats = QueueStats.read(broker, queue.keys(), sample, MAX_PRIORITIES);
    String name = queue.name();
    QueueView.Workers workers = new QueueView.Workers(
        registry.list().stream().filter(w -> w.registration().queues().contains(name))
            .map(WorkersService::summary).toList(),
        QueueConnections.workers(broker, queue.keys()).stream().map(QueueView.Connection::of).toList());
    res.send(QueueView.of(name, stats, sample, workers));
  }

  private void metrics(ServerRequest req, ServerResponse res) {
    int points = Params.number("points", Requests.query(req, "points"), DEFAULT_METRICS_POINTS, 0,
        MAX_METRICS_POINTS);
    QueueKeys keys = keys(req);
    // LRANGE 0 -1 is every point: points=0 asks for the empty range 1..0 instead
    long start = points == 0 ? 1 : 0;
    long end = points == 0 ? 0 : points - 1L;
    res.send(new QueueMetricsView(keys.queueName(),
        QueueMetricsView.State.of(JobMetrics.read(broker, keys, JobState.COMPLETED, start, end)),
        QueueMetricsView.State.of(JobMetrics.read(broker, keys, JobState.FAILED, start, end))));
  }

  private void pause(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    queue.pause();
    res.send(new QueuePausedView(queue.name(), queue.isPaused()));
  }

  private void resume(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    queue.resume();
    res.send(new QueuePausedView(queue.name(), queue.isPaused()));
  }

  private void drain(ServerRequest req, ServerResponse res) {
    QueueKeys keys = keys(req);
    boolean delayed = QueueBodies.drainDelayed(Requests.body(req));
    long deleted = queue(keys).drain(delayed);
    res.send(new QueueChangeViews.Drained(keys.queueName(), delayed, deleted));
  }

  private void clean(ServerRequest req, ServerResponse res) {
    QueueKeys keys = keys(req);
    QueueBodies.Clean clean = QueueBodies.clean(Requests.body(req));
    List<String> ids = queue(keys).clean(clean.graceMs(), clean.limit(), clean.state());
    res.send(new QueueChangeViews.Cleaned(keys.queueName(), clean.state().wireName(), clean.graceMs(),
        clean.limit(), ids.size(), ids));
  }

  private Queue queue(ServerRequest req) {
    return queue(keys(req));
  }

  private Queue queue(QueueKeys keys) {
    return broker.queue(keys.queueName(), QueueOptions.defaults().withPrefix(prefix));
  }

  /** The path's queue, validated before anything is read or written (400 for a bad name). */
  private QueueKeys keys(ServerRequest req) {
    String name = req.path().pathParameters().get(QUEUE);
    try {
      return new QueueKeys(prefix, name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
  }
}
