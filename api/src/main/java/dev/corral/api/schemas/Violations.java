package dev.corral.api.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import dev.corral.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the validator's errors into the API's {@link FieldError}s: each with the JSON pointer of the
 * offending value in the request body and the same place as a {@code field} in the API's dotted spelling
 * ({@code data.items[2].amount}). For {@code required} (and {@code dependentRequired}), the pointer and field
 * name the missing property ({@code /data/amount}), not the object that lacks it; for
 * {@code additionalProperties} and {@code unevaluatedProperties} the property that is not allowed. Pure.
 */
public final class Violations {

  /** Keywords whose error concerns one property of the object at its location: the pointer names it. */
  private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "dependentRequired", "dependencies",
      "additionalProperties", "unevaluatedProperties");

  /**
   * Where the validated value sits in the request body.
   *
   * @param pointer its JSON pointer, e.g. {@code /data} or {@code /nodes/3/data}; {@code ""} for the body itself
   * @param field its field name, e.g. {@code data} or {@code nodes[3].data}; {@code ""} for the body itself
   * @param node the DAG node concerned, or {@code null}
   */
  public record Base(String pointer, String field, String node) {

    /** The body itself (a schema document checked against its meta-schema). */
    public static final Base BODY = new Base("", "", null);

    /** A job's {@code data}. */
    public static final Base JOB_DATA = new Base("/data", "data", null);

    /** The {@code data} of node {@code index} (id {@code nodeId}) of an execution. */
    public static Base nodeData(int index, String nodeId) {
      return new Base("/nodes/" + index + "/data", "nodes[" + index + "].data", nodeId);
    }
  }

  private Violations() {}

  /** The errors as field problems located under {@code base}. */
  public static List<FieldError> of(List<Error> errors, Base base) {
    List<FieldError> out = new ArrayList<>(errors.size());
    for (Error error : errors) {
      List<Object> path = segments(error.getInstanceLocation());
      if (NAMES_A_PROPERTY.contains(error.getKeyword()) && error.getProperty() != null) {
        path.add(error.getProperty());
      }
      out.add(new FieldError(field(base.field(), path), base.node(), error.getMessage(), pointer(base.pointer(), path)));
    }
    return out;
  }

  /** The segments of {@code path}: strings for property names, integers for array indexes. */
  static List<Object> segments(NodePath path) {
    List<Object> out = new ArrayList<>();
    if (path != null) {
      for (int i = 0; i < path.getNameCount(); i++) {
        out.add(path.getElement(i));
      }
    }
    return out;
  }

  /** {@code prefix} followed by the RFC 6901 pointer of {@code path} ({@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
  static String pointer(String prefix, List<Object> path) {
    StringBuilder out = new StringBuilder(prefix);
    for (Object segment : path) {
      out.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  /** {@code prefix} followed by {@code .name} and {@code [index]} segments; {@code body} for the empty path at the root. */
  static String field(String prefix, List<Object> path) {
    StringBuilder out = new StringBuilder(prefix);
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(segment);
      }
    }
    return out.isEmpty() ? "body" : out.toString();
  }
}
