package dev.corral.api.requests;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.errors.ApiException;

/** Parses request bodies into JSON objects, answering 400 for anything else. Pure; thread-safe. */
public final class Bodies {

  /** Deepest nesting accepted in a body. */
  public static final int MAX_DEPTH = 64;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Bodies() {}

  /**
   * The body as a JSON object.
   *
   * @throws ApiException 400 naming {@code body} when it is empty, not JSON, or not an object
   */
  public static JsonNode object(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.invalid("body", "a JSON object is required");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("body", "not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.invalid("body", "unreadable: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.invalid("body", "must be a JSON object, was "
          + (node == null ? "empty" : node.getNodeType().name().toLowerCase()));
    }
    return node;
  }

}
