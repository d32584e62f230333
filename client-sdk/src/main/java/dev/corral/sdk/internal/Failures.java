package dev.corral.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.broker.Job;
import dev.corral.broker.support.Json;
import java.util.List;

/** How a failure is stored: failedReason is the message; stacktrace a JSON array trimmed to stackTraceLimit. */
public final class Failures {

  /** Frames kept per stack trace: Java stacks are long, and BullMQ stores one per failed attempt. */
  static final int MAX_FRAMES = 30;

  private Failures() {}

  /** The failedReason for {@code error}: its message, or its class name when it has none. */
  public static String reason(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isEmpty() ? error.getClass().getName() : message;
  }

  /** The job's stacktrace JSON with {@code error}'s stack appended, trimmed to opts.stackTraceLimit. */
  public static String appendStacktrace(Job job, Throwable error) {
    return appendStacktrace(job, stackOf(error));
  }

  /** The job's stacktrace JSON with {@code stack} appended, trimmed to opts.stackTraceLimit. */
  public static String appendStacktrace(Job job, String stack) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    List<String> existing = job.stacktrace();
    existing.forEach(array::add);
    array.add(stack);
    JsonNode limitNode = job.opts() == null ? null : job.opts().get("stackTraceLimit");
    if (limitNode != null && limitNode.isNumber()) {
      int limit = limitNode.asInt();
      while (array.size() > limit) {
        array.remove(0);
      }
    }
    return array.toString();
  }

  /** {@code "Class: message\n    at frame"} for at most {@link #MAX_FRAMES} frames. */
  public static String stackOf(Throwable error) {
    StringBuilder sb = new StringBuilder(error.toString());
    StackTraceElement[] frames = error.getStackTrace();
    int shown = Math.min(frames.length, MAX_FRAMES);
    for (int i = 0; i < shown; i++) {
      sb.append("\n    at ").append(frames[i]);
    }
    if (frames.length > shown) {
      sb.append("\n    ... ").append(frames.length - shown).append(" more");
    }
    return sb.toString();
  }
}
