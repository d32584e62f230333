package dev.corral.sdk.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.Job;
import dev.corral.broker.support.Json;
import java.util.Map;

/**
 * The JSON-lines protocol between the pool and its children (docs/process-pool.md): the job line sent to a
 * child, and the decoding of every line a child writes. Pure: no I/O; thread-safe.
 */
final class PoolProtocol {

  /** The protocol version this pool speaks; a child announces its own in its {@code ready} line. */
  static final int VERSION = 1;

  private static final int QUOTE_CHARS = 200;

  private PoolProtocol() {}

  /**
   * What is sent about one job.
   *
   * @param queue the job's queue
   * @param executionId the DAG execution id when the job is a DAG node, else null
   * @param node the DAG node id, else null
   * @param dependencies a DAG node's dependency results by node id (empty otherwise)
   * @param dependencyFailures a DAG node's ignored dependency failures by node id (empty otherwise)
   */
  record JobLine(Job job, String queue, String executionId, String node, Map<String, JsonNode> dependencies,
      Map<String, String> dependencyFailures) {}

  /** The job line, without its newline (Jackson escapes newlines inside strings). */
  static String encode(JobLine line) {
    Job job = line.job();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("type", "job");
    o.put("id", job.id());
    o.put("name", job.name());
    o.set("data", job.data() == null ? NullNode.getInstance() : job.data());
    o.set("opts", job.opts() == null ? Json.MAPPER.createObjectNode() : job.opts());
    o.put("queue", line.queue());
    o.put("attemptsMade", job.attemptsMade());
    o.put("timestamp", job.timestamp());
    if (line.executionId() != null) {
      o.put("executionId", line.executionId());
      o.put("node", line.node());
      ObjectNode deps = o.putObject("dependencies");
      line.dependencies().forEach(deps::set);
      ObjectNode failures = o.putObject("dependencyFailures");
      line.dependencyFailures().forEach(failures::put);
    }
    return o.toString();
  }

  /**
   * Decodes one line written by a child. Never throws: a line that is not a valid message gives
   * {@link ChildOutput.Invalid} naming the problem; a blank line gives null (ignored).
   */
  static ChildOutput decode(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    if (trimmed.charAt(0) != '{') {
      return new ChildOutput.Invalid("a line that is not a JSON message: " + quote(trimmed)
          + " (write logs as {\"type\":\"log\",\"line\":..} or to stderr)");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      return new ChildOutput.Invalid("invalid JSON (" + e.getOriginalMessage() + "): " + quote(trimmed));
    }
    if (node == null || !node.isObject()) {
      return new ChildOutput.Invalid("a line that is not a JSON object: " + quote(trimmed));
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      return new ChildOutput.Invalid("a message without a string \"type\": " + quote(trimmed));
    }
    return switch (type.asText()) {
      case "ready" -> ready(node, trimmed);
      case "progress" -> node.has("value") && !node.get("value").isNull()
          ? new ChildOutput.Progress(node.get("value"))
          : new ChildOutput.Invalid("a progress message without a \"value\": " + quote(trimmed));
      case "log" -> node.path("line").isTextual()
          ? new ChildOutput.Log(node.get("line").asText())
          : new ChildOutput.Invalid("a log message without a string \"line\": " + quote(trimmed));
      case "result" -> new ChildOutput.Result(node.has("value") ? node.get("value") : NullNode.getInstance());
      case "error" -> failure(node);
      default -> new ChildOutput.Invalid("unknown message type " + quote(type.asText()) + ": " + quote(trimmed));
    };
  }

  private static ChildOutput ready(JsonNode node, String line) {
    JsonNode protocol = node.get("protocol");
    if (protocol == null) {
      return new ChildOutput.Ready(VERSION); // a bare {"type":"ready"} speaks version 1
    }
    if (!protocol.canConvertToInt() || !protocol.isIntegralNumber()) {
      return new ChildOutput.Invalid("a ready message whose \"protocol\" is not an integer: " + quote(line));
    }
    return new ChildOutput.Ready(protocol.asInt());
  }

  private static ChildOutput failure(JsonNode node) {
    JsonNode message = node.get("message");
    String text = message == null || message.isNull() ? "" : message.isTextual() ? message.asText()
        : message.toString();
    if (text.isEmpty()) {
      text = "the pool process reported an error without a message";
    }
    JsonNode stack = node.get("stack");
    return new ChildOutput.Failure(text, node.path("unrecoverable").asBoolean(false),
        stack != null && stack.isTextual() ? stack.asText() : null);
  }

  /** {@code text} in single quotes, cut to 200 characters. */
  static String quote(String text) {
    String cut = text.length() <= QUOTE_CHARS ? text : text.substring(0, QUOTE_CHARS) + "...";
    return "'" + cut + "'";
  }
}
