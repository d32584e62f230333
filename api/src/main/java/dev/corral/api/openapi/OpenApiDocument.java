package dev.corral.api.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Corral's OpenAPI 3.1 document, hand-written in the YAML resources {@code openapi/*.yaml} and merged here:
 * {@link #PARTS} in order, the first one holding {@code openapi}, {@code info} and the shared components, the
 * others adding {@code paths} and {@code components}. A path or component defined by two parts is an error, as
 * is any other top-level key outside the first part. The merged document is rendered once, as YAML and as JSON.
 *
 * <p>Immutable; thread-safe.
 */
public final class OpenApiDocument {

  /** The parts under {@code /openapi/} on the class path, in merge order; a new route area adds its file here. */
  public static final List<String> PARTS = List.of("corral.yaml", "queues.yaml", "queue-admin.yaml", "schedulers.yaml",
      "executions.yaml", "workers.yaml", "schemas.yaml", "system.yaml", "live.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode tree;
  private final byte[] yaml;
  private final byte[] json;

  private OpenApiDocument(ObjectNode tree) {
    this.tree = tree;
    try {
      this.yaml = YAML.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
      this.json = JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the OpenAPI document", e);
    }
  }

  /**
   * Reads and merges the parts from the class path.
   *
   * @throws IllegalStateException when a part is missing, does not parse, or defines a name another part defines
   */
  public static OpenApiDocument load() {
    ObjectNode merged = null;
    for (String part : PARTS) {
      ObjectNode node = read(part);
      if (merged == null) {
        merged = node;
        continue;
      }
      merge(merged, node, part);
    }
    return new OpenApiDocument(merged);
  }

  private static ObjectNode read(String part) {
    String resource = "/openapi/" + part;
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("OpenAPI part " + resource + " is not on the class path");
      }
      JsonNode node = YAML.readTree(in);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException("OpenAPI part " + resource + " is not a YAML mapping");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read OpenAPI part " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Adds {@code part}'s paths and components to {@code into}, refusing duplicates and other top-level keys. */
  static void merge(ObjectNode into, ObjectNode part, String name) {
    for (Map.Entry<String, JsonNode> top : part.properties()) {
      switch (top.getKey()) {
        case "paths" -> addAll(into.withObject("/paths"), top.getValue(), name, "paths");
        case "components" -> {
          for (Map.Entry<String, JsonNode> section : top.getValue().properties()) {
            String at = "components." + section.getKey();
            addAll(into.withObject("/components").withObject("/" + section.getKey()), section.getValue(), name, at);
          }
        }
        default -> throw new IllegalStateException("OpenAPI part " + name + " may only add paths and components, "
            + "not '" + top.getKey() + "'");
      }
    }
  }

  private static void addAll(ObjectNode into, JsonNode from, String part, String at) {
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      if (into.has(e.getKey())) {
        throw new IllegalStateException("OpenAPI part " + part + " defines " + at + "." + e.getKey()
            + " again");
      }
      into.set(e.getKey(), e.getValue());
    }
  }

  /** A copy of the merged document as a JSON tree. */
  public ObjectNode tree() {
    return tree.deepCopy();
  }

  /** The merged document as YAML (UTF-8). */
  public byte[] yaml() {
    return yaml.clone();
  }

  /** The merged document as JSON (UTF-8). */
  public byte[] json() {
    return json.clone();
  }
}
