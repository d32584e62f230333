package dev.corral.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The operations of an OpenAPI document, for the tests: one per path and HTTP method. */
public final class OpenApiOperations {

  /** The HTTP-method keys of an OpenAPI path item. */
  public static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");

  /**
   * One operation.
   *
   * @param method upper case, e.g. {@code GET}
   * @param path the path template, e.g. {@code /api/queues/{queue}}
   * @param pathItem the path item (for path-level parameters)
   * @param operation the operation object
   */
  public record Operation(String method, String path, JsonNode pathItem, JsonNode operation) {
    @Override
    public String toString() {
      return method + " " + path;
    }

    /** The path with every {@code {param}} replaced by a sample segment. */
    public String samplePath(String sample) {
      return path.replaceAll("\\{[^}/]+}", sample);
    }
  }

  private OpenApiOperations() {}

  /** Every operation of {@code document}, in document order. */
  public static List<Operation> of(JsonNode document) {
    List<Operation> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (METHODS.contains(op.getKey())) {
          ops.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), path.getValue(), op.getValue()));
        }
      }
    }
    return ops;
  }
}
