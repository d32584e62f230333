package dev.corral.sdk.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.Job;
import dev.corral.broker.Queue;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.NodeProcess;
import java.util.List;

/**
 * Direction B: Corral adds the jobs, a real bullmq 6.7.0 Worker processes them ({@code bullmq-cli.mjs work}),
 * and Corral reads the outcome back.
 */
class CorralProducerNodeWorkerIT extends WorkerInteropCases {

  @Override
  JsonNode produce(String stepsJson) {
    return InteropSteps.runInCorral(client.queue(queue), InteropSteps.parse(stepsJson));
  }

  @Override
  List<String> work(String behaviourJson, int attempts) {
    ObjectNode behaviour = (ObjectNode) Json.parseLenient(behaviourJson);
    behaviour.put("name", WORKER_NAME);
    behaviour.put("count", attempts);
    try (NodeProcess worker = node.work(queue, behaviour)) {
      worker.awaitType("done", WAIT);
      return worker.lines().stream().filter(l -> "started".equals(l.path("type").asText()))
          .map(l -> l.get("id").asText()).toList();
    }
  }

  @Override
  View read(String id) {
    Queue q = client.queue(queue);
    Job job = q.getJob(id).orElse(null);
    if (job == null) {
      return null;
    }
    return new View(q.getState(id).wireName(), job.returnValue(), job.failedReason(), job.attemptsMade(),
        job.attemptsStarted(), job.stacktrace(), job.progress(), q.getJobLogs(id, 0, -1, true).logs(),
        job.processedBy(), job.timestamp(), job.processedOn());
  }
}
