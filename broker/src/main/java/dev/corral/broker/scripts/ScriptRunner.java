package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.internal.DedicatedClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
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
  private static final List<Object> NOT_SENT = Collections.unmodifiableList(new ArrayList<>());
  private static final int DIRECT_CONNECT_TIMEOUT_MS = 2_000;
  private static final long DIRECT_RETRY_NANOS = 1_000_000_000L;
  /** A direct connection idle this long is PINGed before use (it may have been closed by a Redis restart). */
  private static final long DIRECT_IDLE_CHECK_NANOS = 100_000_000L;

  private final RScript script;
  private final ScriptRegistry registry;
  private final RedisClient pipelineClient;
  private final RedisConnection[] connections;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger pipelinedInFlight = new AtomicInteger();
  private final ReentrantLock reconnectLock = new ReentrantLock();
  private final RedisSettings settings;
  private final ReentrantLock directLock = new ReentrantLock();
  private DirectConnection direct; // guarded by directLock
  private long directFailedAt = System.nanoTime() - DIRECT_RETRY_NANOS; // guarded by directLock
  private volatile boolean directUnavailable;
  private volatile boolean closed;

  /**
   * A runner over {@code client}, with {@code pipelines} dedicated connections (0 for Redisson's pool only).
   */
  public ScriptRunner(RedissonClient client, RedisSettings settings, int pipelines) {
    this.script = client.getScript(StringCodec.INSTANCE);
    this.registry = ScriptRegistry.load();
    this.settings = settings;
    this.directUnavailable = pipelines == 0 || settings.tls();
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
    // A lone caller (nothing in flight on the pipelined connections) goes direct; concurrent callers share
    // the pipelined connections, where Redis reads and answers many calls per system call. Virtual threads
    // never go direct: interrupting one that is blocked in socket I/O closes the socket mid-call, and a
    // script whose outcome is unknown (a job fetched but never seen) is worse than a slower call.
    if (!directUnavailable && pipelinedInFlight.get() == 0 && !Thread.currentThread().isVirtual()
        && directLock.tryLock()) {
      try {
        List<Object> reply = runDirect(lua, baseKey, args);
        if (reply != NOT_SENT) {
          return reply;
        }
      } finally {
        directLock.unlock();
      }
    }
    RedisConnection connection = pick();
    if (connection == null) {
      return runPooled(lua, baseKey, args);
    }
    Object[] params = new Object[3 + args.length];
    params[0] = lua.sha1();
    params[1] = "1";
    params[2] = baseKey;
    System.arraycopy(args, 0, params, 3, args.length);
    pipelinedInFlight.incrementAndGet();
    try {
      return evalsha(connection, params);
    } catch (RedisNoScriptException e) {
      script.scriptLoad(lua.source());
      return evalsha(connection, params);
    } finally {
      pipelinedInFlight.decrementAndGet();
    }
  }

  /**
   * Runs the script over the direct connection (the caller holds {@code directLock}); {@link #NOT_SENT} when
   * that connection cannot be opened, so the caller goes the pipelined way.
   */
  @SuppressWarnings("unchecked")
  private List<Object> runDirect(LuaScript lua, String baseKey, Object[] args) {
    if (direct == null || !direct.isUsable() || !direct.isAliveAfterIdle(DIRECT_IDLE_CHECK_NANOS)) {
      if (closed || System.nanoTime() - directFailedAt < DIRECT_RETRY_NANOS) {
        return NOT_SENT;
      }
      try {
        direct = DirectConnection.open(settings, "corral:scripts", DIRECT_CONNECT_TIMEOUT_MS, COMMAND_TIMEOUT_MS);
      } catch (IOException | RuntimeException e) {
        direct = null;
        directFailedAt = System.nanoTime();
        return NOT_SENT;
      }
    }
    Object[] params = new Object[4 + args.length];
    params[0] = "EVALSHA";
    params[1] = lua.sha1();
    params[2] = "1";
    params[3] = baseKey;
    System.arraycopy(args, 0, params, 4, args.length);
    try {
      return (List<Object>) direct.call(params);
    } catch (DirectConnection.ErrorReply e) {
      if (!e.isNoScript()) {
        throw e;
      }
      direct.call("SCRIPT", "LOAD", lua.source());
      return (List<Object>) direct.call(params);
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
    directLock.lock();
    try {
      if (direct != null) {
        direct.close();
      }
    } finally {
      directLock.unlock();
    }
    for (RedisConnection connection : connections) {
      connection.closeAsync();
    }
    if (pipelineClient != null) {
      pipelineClient.shutdown();
    }
  }
}
