package dev.corral.broker.testing;

import dev.corral.broker.BrokerClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;

/** Raw reads of Redis keys for assertions: what is stored, not what our API says. */
public final class RedisProbe {

  private final RedissonClient redis;

  /** A probe over {@code client}'s connection. */
  public RedisProbe(BrokerClient client) {
    this.redis = client.redisson();
  }

  public Map<String, String> hash(String key) {
    return redis.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap();
  }

  public List<String> list(String key) {
    return redis.<String>getList(key, StringCodec.INSTANCE).readAll();
  }

  /** Members of a zset with scores, lowest first, as (member, score) entries. */
  public List<Map.Entry<String, Double>> zset(String key) {
    return redis.<String>getScoredSortedSet(key, StringCodec.INSTANCE).entryRange(0, -1).stream()
        .map(e -> Map.entry(e.getValue(), e.getScore()))
        .toList();
  }

  public Double zscore(String key, String member) {
    return redis.<String>getScoredSortedSet(key, StringCodec.INSTANCE).getScore(member);
  }

  public String string(String key) {
    return redis.<String>getBucket(key, StringCodec.INSTANCE).get();
  }

  public long pttl(String key) {
    return redis.getBucket(key, StringCodec.INSTANCE).remainTimeToLive();
  }

  public boolean exists(String key) {
    return redis.getBucket(key, StringCodec.INSTANCE).isExists();
  }

  /** Every entry of a stream, oldest first, as field maps (insertion order kept). */
  public List<Map<String, String>> stream(String key) {
    Map<StreamMessageId, Map<String, String>> entries = redis.<String, String>getStream(key, StringCodec.INSTANCE)
        .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX));
    return List.copyOf(entries.values());
  }

  /** Every entry of a stream, oldest first, as (entry id such as {@code 1795314970709-0}, field map) pairs. */
  public List<Map.Entry<String, Map<String, String>>> streamEntries(String key) {
    Map<StreamMessageId, Map<String, String>> entries = redis.<String, String>getStream(key, StringCodec.INSTANCE)
        .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX));
    return entries.entrySet().stream().map(e -> Map.entry(e.getKey().toString(), e.getValue())).toList();
  }

  /** The {@code name=} of every client connection, as {@code CLIENT LIST} reports them. */
  public List<String> clientNames() {
    CommandAsyncExecutor ex = ((Redisson) redis).getCommandExecutor();
    List<String> lines = ex.get(ex.<List<String>, List<String>>writeAsync((String) null, StringCodec.INSTANCE,
        RedisCommands.CLIENT_LIST));
    return lines.stream()
        .flatMap(line -> Arrays.stream(line.split(" ")))
        .filter(attr -> attr.startsWith("name="))
        .map(attr -> attr.substring("name=".length()))
        .toList();
  }

  /** The event names of a queue's events stream, oldest first. */
  public List<String> eventNames(String eventsKey) {
    return stream(eventsKey).stream().map(e -> e.get("event")).toList();
  }
}
