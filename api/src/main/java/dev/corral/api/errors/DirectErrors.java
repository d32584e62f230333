package dev.corral.api.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServerConfig;
import java.time.Clock;

/**
 * The error body for the failures Helidon answers itself, before routing: a body over the web server's max
 * payload size (413, e.g. a chunked body without {@code Content-Length}) and malformed HTTP (400). Helidon's
 * message is not sent, only a fixed detail per event.
 *
 * <p>Thread-safe.
 */
public final class DirectErrors implements DirectHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final long maxBodyBytes;

  private DirectErrors(Clock clock, long maxBodyBytes) {
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Registers the handler for every direct event on {@code server}, whose max payload size is {@code maxBodyBytes}. */
  public static void install(WebServerConfig.BuilderBase<?, ?> server, Clock clock, long maxBodyBytes) {
    DirectErrors handler = new DirectErrors(clock, maxBodyBytes);
    server.directHandlers(b -> {
      for (EventType type : EventType.values()) {
        b.addHandler(type, handler);
      }
    });
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
      ServerResponseHeaders headers, String message) {
    String errorType;
    String detail;
    int code = eventType == EventType.PAYLOAD_TOO_LARGE ? 413 : status.code(); // Helidon reports 413 as BAD_REQUEST
    switch (code) {
      case 413 -> {
        errorType = "payload_too_large";
        detail = "the request body is larger than the limit of " + maxBodyBytes + " bytes (CORRAL_MAX_BODY_BYTES)";
      }
      case 400 -> {
        errorType = "bad_request";
        detail = "malformed HTTP request";
      }
      case 403 -> {
        errorType = "forbidden";
        detail = "forbidden";
      }
      default -> {
        errorType = code >= 500 ? "internal_error" : "http_error";
        detail = code >= 500 ? "internal server error; see the server log" : status.reasonPhrase();
      }
    }
    ObjectNode body = JSON.createObjectNode()
        .put("detail", detail)
        .put("error_type", errorType)
        .put("timestamp", clock.instant().toString())
        .put("path", request.path() == null ? "" : request.path());
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .keepAlive(eventType.keepAlive())
        .entity(body.toString())
        .build();
  }
}
