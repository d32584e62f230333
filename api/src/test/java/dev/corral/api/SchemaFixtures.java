package dev.corral.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.schemas.SchemaKeys;
import dev.corral.api.schemas.SchemaNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Job names with schemas for the schema ITs: unique per test, put through the API, and removed from the shared
 * schema hashes afterwards (only the names this fixture handed out).
 */
final class SchemaFixtures {

  /** Data must have a number {@code amount} >= 0 and a {@code currency} of EUR or USD; nothing else. */
  static final String PAYMENT = """
      {"type":"object","required":["amount","currency"],"additionalProperties":false,
       "properties":{"amount":{"type":"number","minimum":0},"currency":{"enum":["EUR","USD"]}}}""";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> names = new ArrayList<>();

  /** JSON text as a tree. */
  static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new unique job name starting with {@code hint}. */
  String name(String hint) {
    String name = hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    names.add(name);
    return name;
  }

  /** The percent-encoded path of {@code name}'s schema. */
  static String path(String name) {
    return SchemaNames.path(name);
  }

  /** PUTs {@code schema} as {@code name}'s schema with the admin token. */
  static Http.Reply put(URI uri, String name, String schema) {
    return Http.request(uri, "PUT", path(name), Http.ADMIN_TOKEN, "application/json", schema);
  }

  /** Removes the schemas of every name handed out. */
  void cleanUp() {
    if (names.isEmpty()) {
      return;
    }
    SchemaKeys keys = SchemaKeys.defaults();
    String[] all = names.toArray(String[]::new);
    TestServer.client().redisson().getMap(keys.documents(), org.redisson.client.codec.StringCodec.INSTANCE)
        .fastRemove(all);
    TestServer.client().redisson().getMap(keys.versions(), org.redisson.client.codec.StringCodec.INSTANCE)
        .fastRemove(all);
    names.clear();
  }
}
