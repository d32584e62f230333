package dev.corral.api.errors;

/**
 * The JSON body of every error response.
 *
 * @param detail what went wrong, for a human; never a stack trace
 * @param errorType a stable snake_case code, e.g. {@code invalid_request}, {@code not_found}
 * @param timestamp when the error happened (ISO-8601, UTC)
 * @param path the request path
 */
public record ErrorBody(String detail, String errorType, String timestamp, String path) {}
