package dev.corral.api.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem of one request body, so a 400 lists them all, and reads typed fields from JSON,
 * recording a problem (and returning {@code null}) for a value of the wrong type. Field names are the
 * client's (snake_case). Pure; not thread-safe.
 */
public final class Problems {

  private final List<FieldError> errors = new ArrayList<>();

  /** Records a problem. */
  public void add(String field, String node, String message) {
    errors.add(new FieldError(field, node, message));
  }

  /** Records a problem that concerns no DAG node. */
  public void add(String field, String message) {
    add(field, null, message);
  }

  /** Whether a problem was recorded for {@code field}. */
  public boolean has(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  /** The problems so far. */
  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  /** Throws a 400 listing every problem, if any. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
  }

  /** Records each field of {@code object} that is not in {@code known}. */
  public void unknownFields(JsonNode object, String at, Set<String> known, String node) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        add(join(at, name), node, "unknown field '" + name + "'; known fields: " + String.join(", ",
            known.stream().sorted().toList()));
      }
    }
  }

  /** {@code at.name}, or {@code name} at the top level. */
  public static String join(String at, String name) {
    return at.isEmpty() ? name : at + "." + name;
  }

  /** The value at {@code name}, or {@code null} when absent or JSON null. */
  public static JsonNode field(JsonNode object, String name) {
    JsonNode v = object.get(name);
    return v == null || v.isNull() ? null : v;
  }

  /** A string field, or null when absent; a problem when it is not a string. */
  public String string(JsonNode object, String at, String name, String node) {
    JsonNode v = field(object, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      add(join(at, name), node, name + " must be a string, was " + v.getNodeType().name().toLowerCase());
      return null;
    }
    return v.asText();
  }

  /** A boolean field, or null when absent; a problem when it is not a boolean. */
  public Boolean bool(JsonNode object, String at, String name, String node) {
    JsonNode v = field(object, name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      add(join(at, name), node, name + " must be true or false, was " + v);
      return null;
    }
    return v.asBoolean();
  }

  /** A whole-number field within {@code min..max}, or null when absent; a problem otherwise. */
  public Long integer(JsonNode object, String at, String name, long min, long max, String node) {
    JsonNode v = field(object, name);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      add(join(at, name), node, name + " must be a whole number, was " + v);
      return null;
    }
    long n = v.asLong();
    if (n < min || n > max) {
      add(join(at, name), node, name + " must be between " + min + " and " + max + ", was " + n);
      return null;
    }
    return n;
  }

  /** An object field, or null when absent; a problem when it is not an object. */
  public JsonNode object(JsonNode object, String at, String name, String node) {
    JsonNode v = field(object, name);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      add(join(at, name), node, name + " must be an object, was " + v.getNodeType().name().toLowerCase());
      return null;
    }
    return v;
  }
}
