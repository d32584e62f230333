package dev.corral.api.errors;

/**
 * One problem with a request, as listed in an error body's {@code errors}.
 *
 * @param field the offending field as the client sent it, e.g. {@code options.priority} or
 *     {@code nodes[2].depends_on}
 * @param node the DAG node concerned, or {@code null}
 * @param message what is wrong, naming the value
 * @param pointer the RFC 6901 JSON pointer of the offending value in the request body, e.g.
 *     {@code /nodes/2/data/amount}; {@code null} (left out of the JSON) where only {@code field} is given
 */
public record FieldError(String field, String node, String message, String pointer) {

  /** A problem without a JSON pointer. */
  public FieldError(String field, String node, String message) {
    this(field, node, message, null);
  }

  /** A problem that concerns no DAG node. */
  public static FieldError of(String field, String message) {
    return new FieldError(field, null, message);
  }
}
