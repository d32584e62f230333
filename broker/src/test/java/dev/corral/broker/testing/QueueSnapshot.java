package dev.corral.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.support.Json;
import dev.corral.broker.keys.QueueKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Everything one queue stores in Redis, as a JSON tree that two queues can be compared by: keys by suffix,
 * JSON fields parsed, and values that depend on the clock replaced by what they encode.
 *
 * <ul>
 *   <li>job hashes: {@code data}, {@code opts}, {@code parent}, {@code progress}, {@code returnvalue},
 *       {@code stacktrace} parsed as JSON; {@code timestamp} becomes {@code "<ts>"};
 *   <li>{@code dn:<id>} hashes (an add kept by keepLastIfActive): {@code data}, {@code opts} and {@code pd}
 *       parsed as JSON (BullMQ writes the opts with cjson, whose key order is not stable);
 *   <li>{@code delayed} scores become {@code score - 4096 * job.timestamp} (= {@code delay*4096 + seq});
 *   <li>{@code marker} member {@code "1"} becomes its score minus the timestamp of the first delayed job;
 *   <li>{@code delayed} events' {@code delay} (absolute due time) becomes due minus the job's timestamp;
 *   <li>strings with a TTL are {@code {"value":..,"ttl":true}};
 *   <li>job scheduler hashes ({@code repeat:<id>}): {@code data} and {@code opts} parsed as JSON;
 *   <li>{@code meta}: {@code version} and {@code library} (who wrote the queue) are dropped;
 *   <li>stream entries lose their ids (only the field maps, in order).
 * </ul>
 */
public final class QueueSnapshot {

  private static final Set<String> JSON_FIELDS = Set.of("data", "opts", "parent", "progress", "returnvalue",
      "stacktrace");
  private static final Set<String> KEPT_ADD_JSON_FIELDS = Set.of("data", "opts", "pd");

  private QueueSnapshot() {}

  /** The normalised content of every key of {@code keys}' queue. */
  public static ObjectNode of(BrokerClient client, QueueKeys keys) {
    RedissonClient redis = client.redisson();
    TreeMap<String, String> types = new TreeMap<>();
    redis.getKeys().getKeys(KeysScanOptions.defaults().pattern(escape(keys.base()) + "*").chunkSize(500))
        .forEach(k -> types.put(k.substring(keys.base().length()), redis.getKeys().getType(k).name()));
    Map<String, Long> timestamps = new TreeMap<>();
    ObjectNode out = Json.MAPPER.createObjectNode();
    types.forEach((suffix, type) -> {
      if (type.equals(RType.MAP.name())) {
        Map<String, String> hash = redis.<String, String>getMap(keys.key(suffix), StringCodec.INSTANCE).readAllMap();
        if (hash.containsKey("timestamp") && hash.containsKey("name")) {
          timestamps.put(suffix, Long.parseLong(hash.get("timestamp")));
        }
      }
    });
    types.forEach((suffix, type) -> out.set(suffix, read(redis, keys.key(suffix), suffix, type, timestamps)));
    return out;
  }

  private static JsonNode read(RedissonClient redis, String key, String suffix, String type,
      Map<String, Long> timestamps) {
    return switch (RType.valueOf(type)) {
      case MAP -> hash(redis.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap(), suffix, timestamps);
      case LIST -> Json.MAPPER.valueToTree(redis.<String>getList(key, StringCodec.INSTANCE).readAll());
      case SET -> Json.MAPPER.valueToTree(new java.util.TreeSet<>(redis.<String>getSet(key, StringCodec.INSTANCE)
          .readAll()));
      case ZSET -> zset(redis, key, suffix, timestamps);
      case OBJECT -> string(redis, key);
      case STREAM -> stream(redis, key, timestamps);
      default -> Json.MAPPER.getNodeFactory().textNode("<" + type + ">");
    };
  }

  private static JsonNode hash(Map<String, String> hash, String suffix, Map<String, Long> timestamps) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    boolean job = timestamps.containsKey(suffix);
    boolean keptAdd = suffix.startsWith("dn:");
    new TreeMap<>(hash).forEach((field, value) -> {
      if (suffix.equals("meta") && (field.equals("version") || field.equals("library"))) {
        return;
      }
      if (job && field.equals("timestamp")) {
        node.put(field, "<ts>");
      } else if ((job && JSON_FIELDS.contains(field)) || (keptAdd && KEPT_ADD_JSON_FIELDS.contains(field))
          || (suffix.startsWith("repeat:") && (field.equals("data") || field.equals("opts")))) {
        node.set(field, Json.parseLenient(value));
      } else {
        node.put(field, value);
      }
    });
    return node;
  }

  private static JsonNode zset(RedissonClient redis, String key, String suffix, Map<String, Long> timestamps) {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    var entries = redis.<String>getScoredSortedSet(key, StringCodec.INSTANCE).entryRange(0, -1);
    Long firstDelayedTs = null;
    if (suffix.equals("marker")) {
      var first = redis.<String>getScoredSortedSet(key.substring(0, key.length() - "marker".length()) + "delayed",
          StringCodec.INSTANCE).entryRange(0, 0);
      if (!first.isEmpty()) {
        firstDelayedTs = timestamps.get(first.iterator().next().getValue());
      }
    }
    for (var e : entries) {
      double score = e.getScore();
      if (suffix.equals("delayed") && timestamps.containsKey(e.getValue())) {
        score -= 4096.0 * timestamps.get(e.getValue());
      } else if (suffix.equals("marker") && e.getValue().equals("1") && firstDelayedTs != null) {
        score -= firstDelayedTs;
      }
      ArrayNode pair = arr.addArray();
      pair.add(e.getValue());
      pair.add(score == Math.rint(score) ? String.valueOf((long) score) : String.valueOf(score));
    }
    return arr;
  }

  private static JsonNode string(RedissonClient redis, String key) {
    var bucket = redis.<String>getBucket(key, StringCodec.INSTANCE);
    String value = bucket.get();
    if (bucket.remainTimeToLive() > 0) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("value", value);
      node.put("ttl", true);
      return node;
    }
    return Json.MAPPER.getNodeFactory().textNode(value);
  }

  private static JsonNode stream(RedissonClient redis, String key, Map<String, Long> timestamps) {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    List<Map<String, String>> entries = new ArrayList<>(
        redis.<String, String>getStream(key, StringCodec.INSTANCE)
            .range(org.redisson.api.stream.StreamMessageId.MIN, org.redisson.api.stream.StreamMessageId.MAX)
            .values());
    for (Map<String, String> entry : entries) {
      ObjectNode node = arr.addObject();
      String jobId = entry.get("jobId");
      Long ts = jobId == null ? null : timestamps.get(jobId);
      entry.forEach((field, value) -> {
        if ("delayed".equals(entry.get("event")) && field.equals("delay")) {
          // a removed job's timestamp is unknown: only say that there was a due time
          node.put(field, ts == null ? "<due>" : "+" + (Long.parseLong(value) - ts));
        } else {
          node.put(field, value);
        }
      });
    }
    return arr;
  }

  /** Pretty JSON with every object's keys sorted (BullMQ's stored key order is not stable). */
  public static String canonical(JsonNode node) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      new TreeMap<String, JsonNode>(Json.MAPPER.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<
          Map<String, JsonNode>>() {})).forEach((k, v) -> out.set(k, sorted(v)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return node;
  }

  private static String escape(String pattern) {
    return pattern.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }
}
