package dev.corral.broker.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;

/** The one Jackson mapper of the broker, and JSON helpers that name the field on failure. */
public final class Json {

  /** Shared, thread-safe mapper. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).findAndRegisterModules();

  private Json() {}

  /**
   * Serialises {@code value} to JSON text; {@code null} becomes {@code nullText}.
   *
   * @throws IllegalArgumentException naming {@code field} when the value cannot be serialised
   */
  public static String write(Object value, String field, String nullText) {
    if (value == null) {
      return nullText;
    }
    if (value instanceof JsonNode node) {
      return node.toString();
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          field + " cannot be serialised to JSON (" + value.getClass().getName() + "): " + e.getMessage(), e);
    }
  }

  /** Parses JSON text; {@code null} text gives {@code null}; text that is not JSON becomes a JSON string. */
  public static JsonNode parseLenient(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }

  /** Converts a JSON tree to {@code type}; a missing node converts as JSON null. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    return MAPPER.convertValue(node == null ? NullNode.getInstance() : node, type);
  }
}
