package dev.corral.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.dag.DagEvents.DagEvent;
import dev.corral.broker.events.QueueEvent;

/** The JSON of each kind of stream event, from what the readers deliver. Pure. */
public final class EventData {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventData() {}

  /** A queue event: {@code {"queue","event","job_id","fields"}} with the entry's id. */
  public static StreamEvent queue(String queue, QueueEvent e) {
    ObjectNode out = JSON.createObjectNode();
    out.put("queue", queue);
    out.put("event", e.event());
    if (e.jobId() != null) {
      out.put("job_id", e.jobId());
    }
    out.set("fields", JSON.valueToTree(e.fields()));
    return new StreamEvent("queue", e.id(), StreamHub.queueSource(queue), queue, null, null, out.toString());
  }

  /** An execution event: {@code {"execution_id","event","fields"}} with the DAG stream entry's id. */
  public static StreamEvent execution(DagEvent e) {
    ObjectNode out = JSON.createObjectNode();
    out.put("execution_id", e.executionId());
    out.put("event", e.event());
    out.set("fields", JSON.valueToTree(e.fields()));
    return new StreamEvent("execution", e.id(), StreamHub.EXECUTIONS, null, e.executionId(), null, out.toString());
  }

  /** A heartbeat: the published payload as it is, its {@code worker_id} read for the filter; null if not JSON. */
  public static StreamEvent heartbeat(String payload) {
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (java.io.IOException e) {
      return null;
    }
    if (node == null || !node.isObject()) {
      return null;
    }
    String worker = node.path("worker_id").asText(null);
    return new StreamEvent("heartbeat", null, StreamHub.HEARTBEATS, null, null, worker, node.toString());
  }
}
