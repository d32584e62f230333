package dev.corral.api.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What is known about one stored schema without reading the document: the value of its field in
 * {@link SchemaKeys#versions()}.
 *
 * @param version the SHA-256 (hex) of the stored document: equal documents have equal versions
 * @param updatedAt when it was last put (epoch ms)
 * @param sizeBytes the stored document's size in bytes (UTF-8)
 * @param dialect the {@code $schema} it is read with (the default filled in)
 */
public record SchemaInfo(String version, long updatedAt, int sizeBytes, String dialect) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The info of {@code document} (compact JSON) in {@code dialect}, put at {@code updatedAt}. */
  public static SchemaInfo of(String document, String dialect, long updatedAt) {
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    return new SchemaInfo(sha256(bytes), updatedAt, bytes.length, dialect);
  }

  /** The SHA-256 of {@code document} (UTF-8) in lower-case hex: its version. */
  public static String versionOf(String document) {
    return sha256(document.getBytes(StandardCharsets.UTF_8));
  }

  /** This info as the JSON stored in Redis. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode()
        .put("version", version)
        .put("updated_at", updatedAt)
        .put("size_bytes", sizeBytes)
        .put("dialect", dialect);
    return node.toString();
  }

  /**
   * Reads the JSON written by {@link #toJson()}.
   *
   * @throws IllegalStateException when the stored value is not such JSON (written by something else)
   */
  public static SchemaInfo fromJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return new SchemaInfo(node.path("version").asText(), node.path("updated_at").asLong(),
          node.path("size_bytes").asInt(), node.path("dialect").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable schema version entry: " + e.getOriginalMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
