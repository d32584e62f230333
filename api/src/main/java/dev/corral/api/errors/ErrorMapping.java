package dev.corral.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisTimeoutException;

/**
 * The one place that turns an exception into an HTTP status and an {@link ErrorBody}. Registered for
 * {@link Throwable}, so every failure (including Helidon's own 404 for an unknown route) gets the same JSON
 * shape. A 500 is logged as an error with the stack trace, anything else (4xx, 503 while Redis is away) as one
 * warning line; no stack trace is ever sent.
 *
 * <p>Thread-safe.
 */
public final class ErrorMapping implements ErrorHandler<Throwable> {

  private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

  /** Status and error type of one kind of failure; {@code detail == null} means "send the exception's message". */
  private record Rule(Predicate<Throwable> matches, Status status, String errorType, String detail) {}

  private static final List<Rule> RULES = List.of(
      new Rule(InvalidRequestException.class::isInstance, Status.BAD_REQUEST_400, "invalid_request", null),
      new Rule(MethodNotAllowedException.class::isInstance, Status.METHOD_NOT_ALLOWED_405, "method_not_allowed",
          null),
      new Rule(ErrorMapping::isTooLarge, Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large",
          "the request body is larger than the limit (CORRAL_MAX_BODY_BYTES)"),
      new Rule(ErrorMapping::isBadJson, Status.BAD_REQUEST_400, "invalid_json",
          "the request body is not valid JSON for this route"),
      new Rule(ErrorMapping::isRedisUnavailable, Status.SERVICE_UNAVAILABLE_503, "redis_unavailable",
          "Redis is unavailable; try again later"),
      new Rule(IllegalArgumentException.class::isInstance, Status.BAD_REQUEST_400, "invalid_argument", null));

  private static final Rule INTERNAL = new Rule(e -> true, Status.INTERNAL_SERVER_ERROR_500, "internal_error",
      "internal server error; see the server log");

  private static final String JSON = "application/json";
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = dev.corral.api.ApiJson.newObjectMapper();

  private final Clock clock;

  /** A mapping that stamps errors with {@code clock}. */
  public ErrorMapping(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res, Throwable error) {
    String path = req.prologue().uriPath().path();
    Status status;
    String errorType;
    String detail;
    List<FieldError> errors = null;
    if (error instanceof ApiException api) {
      status = api.status();
      errorType = api.errorType();
      detail = api.getMessage();
      errors = api.errors();
    } else if (error instanceof HttpException http) {
      status = http.status();
      errorType = errorType(status);
      detail = status.code() == Status.NOT_FOUND_404.code()
          ? "no route for " + req.prologue().method().text() + " " + path
          : http.getMessage();
    } else {
      Rule rule = RULES.stream().filter(r -> r.matches().test(error)).findFirst().orElse(INTERNAL);
      status = rule.status();
      errorType = rule.errorType();
      detail = rule.detail() != null ? rule.detail() : error.getMessage();
    }
    if (error instanceof MethodNotAllowedException e) {
      res.header(HeaderNames.ALLOW, e.allowed());
    }
    log(req.prologue().method().text() + " " + path, status, errorType, error);
    res.header(HeaderNames.CONTENT_TYPE, JSON); // also for a client that only accepts text/event-stream
    res.status(status).send(bytes(new ErrorBody(detail, errorType, clock.instant().toString(), path, errors)));
  }

  /**
   * Sends an error body with {@code status}; for filters that answer before routing (401, 403, 413, 415).
   *
   * @param req the request, for its path
   * @param res the response to send
   * @param status the HTTP status
   * @param errorType the snake_case error type
   * @param detail the message for a human; never a stack trace
   */
  public void send(ServerRequest req, ServerResponse res, Status status, String errorType, String detail) {
    String path = req.prologue().uriPath().path();
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.status(status).send(bytes(new ErrorBody(detail, errorType, clock.instant().toString(), path)));
  }

  /**
   * The body as JSON bytes, written here rather than through the media support, so that a client accepting only
   * {@code text/event-stream} (an {@code EventSource}) still gets the JSON error and not a 500.
   */
  private static byte[] bytes(ErrorBody body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an error body", e);
    }
  }

  /** Whether Helidon refused the body as too large while a route read it (its 413, anywhere in the causes). */
  static boolean isTooLarge(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if ((t instanceof HttpException h && h.status().code() == 413)
          || (t instanceof RequestException r && r.status().code() == 413)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the body could not be read as JSON (Jackson's parse or mapping errors, anywhere in the causes). */
  static boolean isBadJson(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException) {
        return true;
      }
    }
    return false;
  }

  /** A snake_case error type for a Helidon HTTP status, e.g. {@code not_found}. */
  static String errorType(Status status) {
    return switch (status.code()) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> status.code() >= 500 ? "internal_error" : "http_error";
    };
  }

  /** Whether Redis could not be reached, looking through causes and suppressed exceptions (Redisson uses both). */
  static boolean isRedisUnavailable(Throwable error) {
    Deque<Throwable> todo = new ArrayDeque<>(List.of(error));
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof RedisConnectionException || t instanceof RedisTimeoutException
          || t instanceof RedisLoadingException || t instanceof ConnectException) {
        return true;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      todo.addAll(List.of(t.getSuppressed()));
    }
    return false;
  }

  private static void log(String request, Status status, String errorType, Throwable error) {
    String line = status.code() + " " + errorType + " " + request + ": " + error;
    if (status.code() == Status.INTERNAL_SERVER_ERROR_500.code()) {
      LOG.log(Level.ERROR, line, error);
    } else {
      LOG.log(Level.WARNING, line);
    }
  }
}
