package dev.corral.api.queues;

import dev.corral.api.errors.InvalidRequestException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.keys.QueueKeys;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One queue, under {@code /api/queues}: {@code GET /{queue}} (job counts, paused flag, meta),
 * {@code POST /{queue}/pause} and {@code POST /{queue}/resume}.
 *
 * <p>Thread-safe.
 */
public final class QueuesService implements HttpService {

  private static final String QUEUE = "queue";

  private final BrokerClient broker;

  /** The queue resource on the Redis behind {@code broker}. */
  public QueuesService(BrokerClient broker) {
    this.broker = broker;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{queue}", this::get)
        .post("/{queue}/pause", this::pause)
        .post("/{queue}/resume", this::resume)
        .any("/{queue}", MethodNotAllowedException.handler("GET"))
        .any("/{queue}/pause", MethodNotAllowedException.handler("POST"))
        .any("/{queue}/resume", MethodNotAllowedException.handler("POST"));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Queue queue = queue(req);
    res.send(QueueView.of(queue.name(), queue.getJobCounts(), queue.isPaused(), queue.getMeta()));
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

  private Queue queue(ServerRequest req) {
    String name = req.path().pathParameters().get(QUEUE);
    try {
      QueueKeys.validateQueueName(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
    return broker.queue(name);
  }
}
