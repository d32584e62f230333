package dev.corral.api.errors;

import java.util.List;

/**
 * The JSON body of every error response.
 *
 * @param detail what went wrong, for a human; never a stack trace
 * @param errorType a stable snake_case code, e.g. {@code invalid_request}, {@code not_found}
 * @param timestamp when the error happened (ISO-8601, UTC)
 * @param path the request path
 * @param errors every problem of a rejected request body, or {@code null} (left out of the JSON)
 */
public record ErrorBody(String detail, String errorType, String timestamp, String path, List<FieldError> errors) {

  /** An error body without a problem list. */
  public ErrorBody(String detail, String errorType, String timestamp, String path) {
    this(detail, errorType, timestamp, path, null);
  }
}
