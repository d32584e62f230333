package dev.corral.broker.internal;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.support.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.api.RFuture;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisConnection;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;

/**
 * One dedicated, named connection for blocking stream reads ({@code XREAD BLOCK}) of one reader thread: what
 * {@code QueueEvents} and the DAG coordinator follow their streams with, so a block never holds a connection
 * of the shared pool. Connects lazily and again after {@link #dropConnection()}; replies are awaited
 * interruptibly, and a lost connection fails the wait within 250 ms instead of at the command timeout.
 *
 * <p>Reads run on one thread; {@link #interrupt()} and {@link #close()} may be called from any thread.
 */
public final class StreamConnection implements AutoCloseable {

  private final RedisClient redis;
  private final String description;
  private volatile RedisConnection connection;
  private volatile boolean closed;

  /**
   * A connection named {@code clientName} ({@code CLIENT SETNAME}) on the Redis of {@code client}.
   *
   * @param maxBlockMs the longest block a read will ask for (the command timeout leaves 10 s more)
   */
  public StreamConnection(BrokerClient client, String clientName, long maxBlockMs) {
    this(client, clientName, maxBlockMs, null);
  }

  /**
   * A connection as {@link #StreamConnection(BrokerClient, String, long)}, on the server holding
   * {@code routingKey} (on Cluster, the master of its hash slot; every stream read must share that slot).
   */
  public StreamConnection(BrokerClient client, String clientName, long maxBlockMs, String routingKey) {
    Checks.notNull(client, "client");
    this.description = clientName;
    this.redis = DedicatedClients.create(client.redisson(), client.settings(), clientName,
        (int) Math.min(Integer.MAX_VALUE, maxBlockMs + 10_000), routingKey);
  }

  /**
   * {@code XREAD COUNT count BLOCK blockMs STREAMS stream afterId}: the entries after {@code afterId}, in
   * stream order, or an empty map when none came within {@code blockMs}.
   */
  public Map<StreamMessageId, Map<String, String>> read(String stream, String afterId, int count, long blockMs)
      throws InterruptedException, ExecutionException {
    RedisConnection c = connect();
    Map<StreamMessageId, Map<Object, Object>> reply = await(c, c.async(StringCodec.INSTANCE,
        RedisCommands.XREAD_BLOCKING_SINGLE, "COUNT", count, "BLOCK", blockMs, "STREAMS", stream, afterId),
        blockMs);
    return strings(reply);
  }

  /**
   * {@code XREAD COUNT count BLOCK blockMs STREAMS s1 s2 … id1 id2 …} over several streams at once: per
   * stream that has entries after its id, those entries in stream order (streams without new entries are
   * absent); empty when nothing came within {@code blockMs}.
   *
   * @param afterIds stream key → the id to read after, in the order to send
   */
  public Map<String, Map<StreamMessageId, Map<String, String>>> read(Map<String, String> afterIds, int count,
      long blockMs) throws InterruptedException, ExecutionException {
    Checks.isTrue(!afterIds.isEmpty(), "at least one stream to read");
    List<Object> args = new ArrayList<>(afterIds.size() * 2 + 5);
    args.addAll(List.of("COUNT", count, "BLOCK", blockMs, "STREAMS"));
    args.addAll(afterIds.keySet());
    args.addAll(afterIds.values());
    RedisConnection c = connect();
    Map<String, Map<StreamMessageId, Map<Object, Object>>> reply = await(c, c.async(StringCodec.INSTANCE,
        RedisCommands.XREAD_BLOCKING, args.toArray()), blockMs);
    Map<String, Map<StreamMessageId, Map<String, String>>> out = new LinkedHashMap<>();
    if (reply != null) {
      reply.forEach((stream, entries) -> out.put(String.valueOf(stream), strings(entries)));
    }
    return out;
  }

  /** The id of the stream's last entry, or {@code 0-0} when it is empty or missing. */
  public String latestId(String stream) throws InterruptedException, ExecutionException {
    RedisConnection c = connect();
    Map<StreamMessageId, Map<Object, Object>> last = await(c, c.async(StringCodec.INSTANCE,
        RedisCommands.XREVRANGE, stream, "+", "-", "COUNT", 1), 0);
    return last == null || last.isEmpty() ? "0-0" : last.keySet().iterator().next().toString();
  }

  /**
   * The id of the last entry of {@code stream} ({@code "0-0"} when empty), read through the shared client rather
   * than a dedicated connection: for a reader fixing its start position before its own connection exists.
   */
  public static String latestIdOnSharedClient(BrokerClient client, String stream) {
    Map<StreamMessageId, Map<String, String>> last = client.redisson()
        .<String, String>getStream(stream, StringCodec.INSTANCE)
        .rangeReversed(1, StreamMessageId.MAX, StreamMessageId.MIN);
    return last.isEmpty() ? "0-0" : last.keySet().iterator().next().toString();
  }

  /** Closes the current connection (a pending read fails at once); the next read connects again. */
  public void dropConnection() {
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.closeAsync();
    }
  }

  /** Refuses further reads and fails a pending one at once; {@link #close()} still releases the client. */
  public void interrupt() {
    closed = true;
    dropConnection();
  }

  /** {@link #interrupt()}, then shuts the dedicated client down. Idempotent. */
  @Override
  public void close() {
    interrupt();
    redis.shutdownAsync();
  }

  private RedisConnection connect() {
    RedisConnection c = connection;
    if (c == null || !c.isActive()) {
      if (closed) {
        throw new BrokerException(description + " is closed", null);
      }
      c = redis.connect();
      connection = c;
      if (closed) {
        dropConnection();
        throw new BrokerException(description + " is closed", null);
      }
    }
    return c;
  }

  /**
   * Waits for a reply, interruptibly. A dropped connection does not fail Redisson's pending future until the
   * command timeout, so the connection is checked every 250 ms and a lost one fails the wait at once.
   */
  private <T> T await(RedisConnection c, RFuture<T> future, long blockMs)
      throws InterruptedException, ExecutionException {
    long limitMs = blockMs + 5_000;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
    CompletableFuture<T> f = future.toCompletableFuture();
    while (true) {
      try {
        return f.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (!c.isActive()) {
          throw new BrokerException("connection to Redis lost", null);
        }
        if (System.nanoTime() > deadline) {
          throw new BrokerException("no reply from Redis within " + limitMs + " ms", null);
        }
      }
    }
  }

  private static Map<StreamMessageId, Map<String, String>> strings(Map<StreamMessageId, Map<Object, Object>> in) {
    Map<StreamMessageId, Map<String, String>> out = new LinkedHashMap<>();
    if (in != null) {
      in.forEach((id, fields) -> {
        Map<String, String> f = new LinkedHashMap<>();
        fields.forEach((k, v) -> f.put(String.valueOf(k), String.valueOf(v)));
        out.put(id, f);
      });
    }
    return out;
  }
}
