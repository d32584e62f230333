package dev.corral.api.jobs;

import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.errors.ApiException;
import dev.corral.api.requests.Problems;
import dev.corral.api.requests.Requests;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.dag.DagExecutions;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.redisson.client.codec.StringCodec;

/**
 * {@code GET /api/idempotency/{key}?queue=q}: the job added to {@code q} with that key; without {@code queue},
 * the DAG execution submitted with it. 404 when the key is unknown. Thread-safe.
 */
public final class IdempotencyService implements HttpService {

  private final BrokerClient broker;
  private final String prefix;
  private final IdempotencyKeys keys;
  private final DagExecutions executions;

  /** Look-ups on the Redis behind {@code broker}; execution keys under {@code executions}' prefix. */
  public IdempotencyService(BrokerClient broker, String prefix, DagExecutions executions) {
    this.broker = broker;
    this.prefix = prefix;
    this.keys = new IdempotencyKeys(broker);
    this.executions = executions;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/{key}", this::get)
        .any("/{key}", MethodNotAllowedException.handler("GET"));
  }

  private void get(ServerRequest req, ServerResponse res) {
    String key = req.path().pathParameters().get("key");
    Problems problems = new Problems();
    AddJobRequest.checkKey(key, problems);
    problems.throwIfAny();
    String queueName = Requests.query(req, "queue");
    if (queueName == null) {
      String execId = broker.redisson().<String>getBucket(executions.keys().idempotency(key), StringCodec.INSTANCE)
          .get();
      if (execId == null) {
        throw ApiException.notFound("no execution was submitted with idempotency key '" + key + "'");
      }
      res.send(Map.of("idempotency_key", key, "execution_id", execId));
      return;
    }
    Queue queue = JobsService.queue(broker, prefix, queueName);
    String jobId = keys.find(queue, key).orElseThrow(() -> ApiException.notFound(
        "no job was added to queue '" + queueName + "' with idempotency key '" + key + "'"));
    res.send(Map.of("idempotency_key", key, "queue", queueName, "job_id", jobId,
        "state", queue.getState(jobId).wireName()));
  }
}
