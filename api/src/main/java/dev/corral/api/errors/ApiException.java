package dev.corral.api.errors;

import io.helidon.http.Status;
import java.util.List;

/**
 * A failure the API answers with a chosen 4xx status, error type and message (sent to the client), and
 * optionally a list of field problems (the body's {@code errors}). Built with the factory methods.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final String errorType;
  private final transient List<FieldError> errors;

  private ApiException(Status status, String errorType, String message, List<FieldError> errors) {
    super(message, null, false, false);
    this.status = status;
    this.errorType = errorType;
    this.errors = errors == null ? null : List.copyOf(errors);
  }

  /** 400 {@code invalid_request} listing {@code errors} (at least one); the detail sums them up. */
  public static ApiException invalid(List<FieldError> errors) {
    String first = errors.get(0).field() + ": " + errors.get(0).message();
    String detail = errors.size() == 1 ? first : errors.size() + " problems, the first: " + first;
    return new ApiException(Status.BAD_REQUEST_400, "invalid_request", detail, errors);
  }

  /** 400 {@code invalid_request} for one field. */
  public static ApiException invalid(String field, String message) {
    return invalid(List.of(FieldError.of(field, message)));
  }

  /** 404 {@code not_found}. */
  public static ApiException notFound(String message) {
    return new ApiException(Status.NOT_FOUND_404, "not_found", message, null);
  }

  /** 403 {@code forbidden}: the caller's token may not do this (e.g. a worker token bound to another worker id). */
  public static ApiException forbidden(String message) {
    return new ApiException(Status.FORBIDDEN_403, "forbidden", message, null);
  }

  /** 503 with {@code errorType}: the server cannot take this request now (e.g. too many open streams). */
  public static ApiException unavailable(String errorType, String message) {
    return new ApiException(Status.SERVICE_UNAVAILABLE_503, errorType, message, null);
  }

  /** 409 {@code conflict}, optionally naming the field whose value conflicts. */
  public static ApiException conflict(String message, List<FieldError> errors) {
    return new ApiException(Status.CONFLICT_409, "conflict", message, errors);
  }

  /** The HTTP status to answer with. */
  public Status status() {
    return status;
  }

  /** The error body's {@code error_type}. */
  public String errorType() {
    return errorType;
  }

  /** The field problems, or {@code null} for none. */
  public List<FieldError> errors() {
    return errors;
  }
}
