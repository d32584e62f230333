package dev.corral.sdk.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.interop.InteropSteps;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Direction A: the real bullmq 6.7.0 adds the jobs, a Corral {@link dev.corral.sdk.Worker} processes them, and
 * bullmq reads the outcome back ({@code queue.getJob}, {@code getJobLogs}).
 */
class NodeProducerJavaWorkerIT extends WorkerInteropCases {

  @Override
  JsonNode produce(String stepsJson) {
    return node.runSteps(queue, InteropSteps.parse(stepsJson));
  }

  @Override
  List<String> work(String behaviourJson, int attempts) {
    return new JavaWork(client, queue, Json.parseLenient(behaviourJson), attempts, WORKER_NAME).awaitDone(WAIT);
  }

  @Override
  View read(String id) {
    JsonNode job = node.getJob(queue, id);
    if (job == null || job.isNull()) {
      return null;
    }
    List<String> stack = new ArrayList<>();
    job.path("stacktrace").forEach(t -> stack.add(t.asText()));
    List<String> logs = new ArrayList<>();
    node.run("getJobLogs", queue, id).path("logs").forEach(l -> logs.add(l.asText()));
    return new View(job.path("state").asText(), orNull(job.get("returnvalue")), text(job.get("failedReason")),
        job.path("attemptsMade").asInt(), job.path("attemptsStarted").asInt(), stack, orNull(job.get("progress")),
        logs, text(job.get("processedBy")), job.path("timestamp").asLong(),
        job.path("processedOn").isNumber() ? job.get("processedOn").asLong() : null);
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
