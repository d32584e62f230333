package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.internal.DedicatedClients;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisConnection;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommand;
import org.redisson.client.protocol.decoder.ObjectListReplayDecoder;

/**
 * The only class that runs Lua on Redis. Every script gets KEYS[1] = the queue base key and string ARGV,
 * and returns a Lua table, decoded as a {@code List<Object>} of {@code String}, {@code Long} and nested
 * lists. Uses EVALSHA and loads the script on NOSCRIPT (a restarted or flushed server).
 *
 * <p>Calls go over a few dedicated connections that pipeline concurrent callers (as ioredis does for
 * Node), which is what makes many producer or worker threads fast. When such a connection is down, the call
 * goes through Redisson's pooled client instead while the connection is re-established. A call whose
 * connection breaks after it was sent fails with {@link BrokerException} rather than being re-sent: the script
 * may have run, and running a write twice is worse than reporting the failure.
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner implements AutoCloseable {

  private static final RedisCommand<List<Object>> EVALSHA = new RedisCommand<>("EVALSHA",
      new ObjectListReplayDecoder<>());
  private static final int COMMAND_TIMEOUT_MS = 30_000;

  private final RScript script;
  private final ScriptRegistry registry;
  private final RedisClient pipelineClient;
  private final RedisConnection[] connections;
  private final AtomicInteger next = new AtomicInteger();
  private final ReentrantLock reconnectLock = new ReentrantLock();
  private volatile boolean closed;

  /**
   * A runner over {@code client}, with {@code pipelines} dedicated connections (0 for Redisson's pool only).
   */
  public ScriptRunner(RedissonClient client, RedisSettings settings, int pipelines) {
    this.script = client.getScript(StringCodec.INSTANCE);
    this.registry = ScriptRegistry.load();
    this.connections = new RedisConnection[pipelines];
    this.pipelineClient = pipelines == 0 ? null
        : DedicatedClients.create(client, settings, "corral:scripts", COMMAND_TIMEOUT_MS);
    for (int i = 0; i < pipelines; i++) {
      connections[i] = pipelineClient.connect();
    }
  }

  /**
   * Runs {@code command} for the queue whose base key is {@code baseKey}.
   *
   * @return the script's reply table
   * @throws BrokerException when the connection broke after the call was sent
   */
  public List<Object> run(Command command, String baseKey, Object... args) {
    LuaScript lua = registry.get(command);
    RedisConnection connection = pick();
    if (connection == null) {
      return runPooled(lua, baseKey, args);
    }
    Object[] params = new Object[3 + args.length];
    params[0] = lua.sha1();
    params[1] = "1";
    params[2] = baseKey;
    System.arraycopy(args, 0, params, 3, args.length);
    try {
      return evalsha(connection, params);
    } catch (RedisNoScriptException e) {
      script.scriptLoad(lua.source());
      return evalsha(connection, params);
    }
  }

  private List<Object> evalsha(RedisConnection connection, Object[] params) {
    try {
      return connection.<List<Object>, List<Object>>async(StringCodec.INSTANCE, EVALSHA, params)
          .toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RedisNoScriptException noScript) {
        throw noScript;
      }
      if (cause instanceof RedisException redis && connection.isActive()) {
        throw redis; // an error reply: a Lua error, OOM, READONLY...
      }
      throw new BrokerException("Redis connection failed during a script call; it may or may not have run: "
          + cause.getMessage(), cause);
    }
  }

  private List<Object> runPooled(LuaScript lua, String baseKey, Object... args) {
    List<Object> keys = List.of(baseKey);
    try {
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha1(), RScript.ReturnType.LIST, keys, args);
    } catch (RedisNoScriptException e) {
      script.scriptLoad(lua.source());
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha1(), RScript.ReturnType.LIST, keys, args);
    }
  }

  /** An active pipelined connection, or null (use the pool) when none is; starts a reconnect if needed. */
  private RedisConnection pick() {
    if (connections.length == 0 || closed) {
      return null;
    }
    int i = Math.floorMod(next.getAndIncrement(), connections.length);
    RedisConnection c = connections[i];
    if (c.isActive()) {
      return c;
    }
    reconnect(i);
    c = connections[i];
    return c.isActive() ? c : null;
  }

  private void reconnect(int i) {
    if (!reconnectLock.tryLock()) {
      return;
    }
    try {
      if (closed || connections[i].isActive()) {
        return;
      }
      connections[i].closeAsync();
      connections[i] = pipelineClient.connect();
    } catch (RuntimeException e) {
      // Redis unreachable: calls use the pool, which reports the failure with Redisson's retries
    } finally {
      reconnectLock.unlock();
    }
  }

  /** Closes the dedicated connections. */
  @Override
  public void close() {
    closed = true;
    for (RedisConnection connection : connections) {
      connection.closeAsync();
    }
    if (pipelineClient != null) {
      pipelineClient.shutdown();
    }
  }
}
