package dev.corral.api.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.auth.ApiGuard;
import dev.corral.api.auth.WorkerBinding;
import dev.corral.api.errors.ApiException;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Problems;
import dev.corral.broker.workers.CommandOutcome;
import dev.corral.broker.workers.CommandType;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerCommand;
import dev.corral.broker.workers.WorkerJson;
import dev.corral.broker.workers.WorkerRegistration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses the worker routes' bodies (snake_case, as in docs/workers.md) into the registry's models, answering
 * 400 with every field problem found: unknown fields, missing required fields, wrong types and the models'
 * own validation. Pure; thread-safe.
 */
public final class WorkerBodies {

  private static final Set<String> REGISTRATION_FIELDS = fields(WorkerRegistration.class);
  private static final List<String> REGISTRATION_REQUIRED = List.of("hostname", "queues", "concurrency");
  private static final Set<String> HEARTBEAT_FIELDS = fields(Heartbeat.class);
  private static final Set<String> COMMAND_FIELDS = Set.of("type", "reason", "requester");
  private static final Set<String> RECYCLE_FIELDS = Set.of("reason", "requester");
  private static final Set<String> ACK_FIELDS = Set.of("outcome", "detail");

  /** Longest {@code detail} of an acknowledgement (the registry keeps at most this many characters). */
  static final int MAX_ACK_DETAIL = 2048;

  private WorkerBodies() {}

  /** A command body: its type, reason and requester (each possibly null but the type). */
  record CommandBody(CommandType type, String reason, String requester) {}

  /** An acknowledgement body: the outcome and its detail ({@code ""} when absent). */
  record AckBody(CommandOutcome outcome, String detail) {}

  /** {@link #registration(byte[], long, WorkerBinding)} for a caller that may act as any worker. */
  static WorkerRegistration registration(byte[] body, long now) {
    return registration(body, now, WorkerBinding.ANY);
  }

  /**
   * A registration; {@code worker_id} is generated when absent (for a token bound to one exact id: that id),
   * {@code heartbeat_interval_ms} defaults to 5000 and {@code dead_after_missed} to 3, {@code started_at} to now.
   *
   * @param workers the worker ids the caller may register as
   * @throws ApiException 403 when {@code worker_id} is outside {@code workers}; 400 for every body problem,
   *     including a missing {@code worker_id} with a token bound to a prefix or to several ids
   */
  static WorkerRegistration registration(byte[] body, long now, WorkerBinding workers) {
    ObjectNode node = (ObjectNode) Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", REGISTRATION_FIELDS, null);
    for (String f : REGISTRATION_REQUIRED) {
      if (Problems.field(node, f) == null) {
        problems.add(f, f + " is required");
      }
    }
    JsonNode id = Problems.field(node, "worker_id");
    if (id != null && id.isTextual() && !workers.permits(id.asText())) {
      throw ApiException.forbidden(ApiGuard.boundMessage(workers, id.asText()));
    }
    if (id == null && !workers.isAny() && workers.singleId().isEmpty()) {
      problems.add("worker_id", "worker_id is required with a worker token bound to " + workers.describe());
    }
    problems.throwIfAny();
    if (id == null) {
      node.put("worker_id", workers.singleId().orElseGet(dev.corral.broker.workers.WorkerIds::generate));
    }
    defaultTo(node, "heartbeat_interval_ms", 5000);
    defaultTo(node, "dead_after_missed", 3);
    defaultTo(node, "started_at", now);
    return read(node, WorkerRegistration.class);
  }

  /** A heartbeat of worker {@code workerId}; {@code worker_id} defaults to it and must equal it. */
  static Heartbeat heartbeat(byte[] body, String workerId, long now) {
    ObjectNode node = (ObjectNode) Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", HEARTBEAT_FIELDS, null);
    JsonNode id = Problems.field(node, "worker_id");
    if (id != null && !(id.isTextual() && id.asText().equals(workerId))) {
      problems.add("worker_id", "worker_id must be the path's worker id '" + workerId + "', was " + id);
    }
    problems.throwIfAny();
    node.put("worker_id", workerId);
    defaultTo(node, "sent_at", now);
    return read(node, Heartbeat.class);
  }

  /** A {@code POST /commands} body: {@code type} required. */
  static CommandBody command(byte[] body) {
    JsonNode node = Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", COMMAND_FIELDS, null);
    String type = problems.string(node, "", "type", null);
    CommandType parsed = null;
    if (type == null && !problems.has("type")) {
      problems.add("type", "type is required: one of " + wireNames());
    } else if (type != null) {
      try {
        parsed = CommandType.fromWireName(type);
      } catch (IllegalArgumentException e) {
        problems.add("type", e.getMessage());
      }
    }
    String reason = reason(problems, node);
    String requester = requester(problems, node);
    problems.throwIfAny();
    return new CommandBody(parsed, reason, requester);
  }

  /** A {@code POST /commands/{c}/ack} body: {@code outcome} required ({@code done}, {@code rejected}, {@code failed}). */
  static AckBody ack(byte[] body) {
    JsonNode node = Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", ACK_FIELDS, null);
    String outcome = problems.string(node, "", "outcome", null);
    CommandOutcome parsed = null;
    if (outcome == null && !problems.has("outcome")) {
      problems.add("outcome", "outcome is required: done, rejected or failed");
    } else if (outcome != null) {
      parsed = switch (outcome) {
        case "done" -> CommandOutcome.DONE;
        case "rejected" -> CommandOutcome.REJECTED;
        case "failed" -> CommandOutcome.FAILED;
        default -> null;
      };
      if (parsed == null) {
        problems.add("outcome", "outcome must be done, rejected or failed, was '" + outcome + "'"
            + (outcome.equals("undelivered") ? " (undelivered is recorded by the registry for commands never read)"
            : ""));
      }
    }
    String detail = problems.string(node, "", "detail", null);
    if (detail != null && detail.length() > MAX_ACK_DETAIL) {
      problems.add("detail", "detail must be at most " + MAX_ACK_DETAIL + " characters, was " + detail.length());
    }
    problems.throwIfAny();
    return new AckBody(parsed, detail == null ? "" : detail);
  }

  /** A recycle body: optional, with {@code reason} and {@code requester}. */
  static CommandBody recycle(byte[] body) {
    if (body == null || body.length == 0) {
      return new CommandBody(CommandType.RECYCLE, null, null);
    }
    JsonNode node = Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", RECYCLE_FIELDS, null);
    String reason = reason(problems, node);
    String requester = requester(problems, node);
    problems.throwIfAny();
    return new CommandBody(CommandType.RECYCLE, reason, requester);
  }

  private static String reason(Problems problems, JsonNode node) {
    String reason = problems.string(node, "", "reason", null);
    if (reason != null && reason.length() > WorkerCommand.MAX_REASON) {
      problems.add("reason", "reason must be at most " + WorkerCommand.MAX_REASON + " characters, was "
          + reason.length());
    }
    return reason;
  }

  private static String requester(Problems problems, JsonNode node) {
    String requester = problems.string(node, "", "requester", null);
    if (requester != null && (requester.isEmpty() || requester.length() > 128)) {
      problems.add("requester", "requester must be 1 to 128 characters, was " + requester.length());
    }
    return requester;
  }

  private static String wireNames() {
    return Arrays.stream(CommandType.values()).map(CommandType::wireName).collect(Collectors.joining(", "));
  }

  private static void defaultTo(ObjectNode node, String field, long value) {
    if (Problems.field(node, field) == null) {
      node.put(field, value);
    }
  }

  /** Maps {@code node} onto {@code type}, turning mapping and validation failures into a 400. */
  private static <T> T read(JsonNode node, Class<T> type) {
    try {
      return WorkerJson.MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw ApiException.invalid(fieldOf(iae.getMessage()), iae.getMessage());
      }
      String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
          : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
      throw ApiException.invalid(path.isEmpty() ? "body" : path, e.getOriginalMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.invalid("body", e.getOriginalMessage());
    }
  }

  /** The snake_case field a validation message starts with ({@code concurrency must ...}), or {@code body}. */
  static String fieldOf(String message) {
    if (message == null || message.isEmpty()) {
      return "body";
    }
    String first = message.split("[ .]", 2)[0];
    if (!first.matches("[a-zA-Z]+")) {
      return "body";
    }
    return new PropertyNamingStrategies.SnakeCaseStrategy().translate(first);
  }

  private static Set<String> fields(Class<? extends Record> type) {
    PropertyNamingStrategies.SnakeCaseStrategy snake = new PropertyNamingStrategies.SnakeCaseStrategy();
    return Arrays.stream(type.getRecordComponents()).map(c -> snake.translate(c.getName()))
        .collect(Collectors.toUnmodifiableSet());
  }
}
