package dev.corral.api.errors;

/**
 * One problem with a request, as listed in an error body's {@code errors}.
 *
 * @param field the offending field as the client sent it, e.g. {@code options.priority} or
 *     {@code nodes[2].depends_on}
 * @param node the DAG node concerned, or {@code null}
 * @param message what is wrong, naming the value
 */
public record FieldError(String field, String node, String message) {

  /** A problem that concerns no DAG node. */
  public static FieldError of(String field, String message) {
    return new FieldError(field, null, message);
  }
}
