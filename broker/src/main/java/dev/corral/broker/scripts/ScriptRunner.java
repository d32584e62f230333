package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;

/**
 * The only class that runs Lua on Redis. Every script gets KEYS[1] = the queue base key and string ARGV,
 * and returns a Lua table, decoded as a {@code List<Object>} of {@code String}, {@code Long} and nested
 * lists. Uses EVALSHA and loads the script on NOSCRIPT (a restarted or flushed server).
 *
 * <p>On a single plain-TCP server, calls take one of Corral's own connections: a lone platform-thread caller
 * (nothing else in flight) goes over a {@link DirectConnection}, written and read on its own thread; concurrent
 * callers share one {@link PipelinedConnection}, where their commands reach Redis together and Redis reads and
 * answers many per system call (as ioredis does for Node). When neither can be opened (Redis down), and always
 * on Sentinel, Cluster or TLS, calls go through Redisson's pooled client, which follows failovers and routes by
 * key. A call whose connection breaks after it was sent fails with {@link BrokerException} rather than being
 * re-sent: the script may have run, and running a write twice is worse than reporting the failure.
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner implements AutoCloseable {

  private static final int COMMAND_TIMEOUT_MS = 30_000;
  private static final List<Object> NOT_SENT = Collections.unmodifiableList(new ArrayList<>());
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final long RETRY_NANOS = 1_000_000_000L;
  /** A direct connection idle this long is PINGed before use (it may have been closed by a Redis restart). */
  private static final long DIRECT_IDLE_CHECK_NANOS = 100_000_000L;
  /** The client name of Corral's own script connections. */
  static final String CLIENT_NAME = "corral:scripts";

  private final RScript script;
  private final ScriptRegistry registry;
  private final RedisSettings settings;
  private final boolean ownConnections;
  private final AtomicInteger pipelinedInFlight = new AtomicInteger();
  private final ReentrantLock pipelinedLock = new ReentrantLock();
  private volatile PipelinedConnection pipelined;
  private long pipelinedFailedAt = System.nanoTime() - RETRY_NANOS; // guarded by pipelinedLock
  private final ReentrantLock directLock = new ReentrantLock();
  private DirectConnection direct; // guarded by directLock
  private long directFailedAt = System.nanoTime() - RETRY_NANOS; // guarded by directLock
  private volatile boolean closed;

  /**
   * A runner over {@code client}; with {@code ownConnections} (a single plain-TCP server) script calls use
   * Corral's own connections, otherwise Redisson's pool only.
   */
  public ScriptRunner(RedissonClient client, RedisSettings settings, boolean ownConnections) {
    this.script = client.getScript(StringCodec.INSTANCE);
    this.registry = ScriptRegistry.load();
    this.settings = settings;
    this.ownConnections = ownConnections && !settings.tls();
  }

  /**
   * Runs {@code command} for the queue whose base key is {@code baseKey}.
   *
   * @return the script's reply table
   * @throws BrokerException when the connection broke after the call was sent
   */
  public List<Object> run(Command command, String baseKey, Object... args) {
    LuaScript lua = registry.get(command);
    // A lone caller (nothing in flight on the pipelined connection) goes direct. Virtual threads never go
    // direct: interrupting one that is blocked reading a socket closes it mid-call, and a script whose outcome
    // is unknown (a job fetched but never seen) is worse than a slower call.
    if (ownConnections && pipelinedInFlight.get() == 0 && !Thread.currentThread().isVirtual()
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
    PipelinedConnection connection = pipelined();
    if (connection == null) {
      return runPooled(lua, baseKey, args);
    }
    Object[] params = evalshaCommand(lua, baseKey, args);
    pipelinedInFlight.incrementAndGet();
    try {
      return evalsha(lua, params, connection::call);
    } finally {
      pipelinedInFlight.decrementAndGet();
    }
  }

  /**
   * A new {@link MarkerConnection} named {@code clientName} (opened at its first call), or null when this
   * runner does not use its own connections (Sentinel, Cluster, TLS): a worker then blocks on a Redisson
   * connection and fetches after the block.
   */
  public MarkerConnection markerConnection(String clientName) {
    return ownConnections ? new MarkerConnection(settings, clientName, registry) : null;
  }

  /** {@code EVALSHA <sha1> 1 <baseKey> args...} as command arguments. */
  static Object[] evalshaCommand(LuaScript lua, String baseKey, Object[] args) {
    Object[] params = new Object[4 + args.length];
    params[0] = "EVALSHA";
    params[1] = lua.sha1();
    params[2] = "1";
    params[3] = baseKey;
    System.arraycopy(args, 0, params, 4, args.length);
    return params;
  }

  private interface Connection {
    Object call(Object... args);
  }

  /** EVALSHA over {@code connection}, loading the script there once on NOSCRIPT. */
  @SuppressWarnings("unchecked")
  private static List<Object> evalsha(LuaScript lua, Object[] params, Connection connection) {
    try {
      return (List<Object>) connection.call(params);
    } catch (Resp.ErrorReply e) {
      if (!e.isNoScript()) {
        throw e; // an error reply: a Lua error, OOM, READONLY...
      }
      connection.call("SCRIPT", "LOAD", lua.source());
      return (List<Object>) connection.call(params);
    }
  }

  /** The pipelined connection, opened if needed; null when there is none (Redis unreachable: use the pool). */
  private PipelinedConnection pipelined() {
    PipelinedConnection c = pipelined;
    if (c != null && c.isUsable()) {
      return c;
    }
    if (!ownConnections || closed) {
      return null;
    }
    pipelinedLock.lock(); // concurrent callers wait for one attempt (at most the connect timeout)
    try {
      c = pipelined;
      if (c != null && c.isUsable()) {
        return c;
      }
      if (closed || System.nanoTime() - pipelinedFailedAt < RETRY_NANOS) {
        return null;
      }
      try {
        pipelined = PipelinedConnection.open(settings, CLIENT_NAME, CONNECT_TIMEOUT_MS, COMMAND_TIMEOUT_MS);
        return pipelined;
      } catch (IOException | RuntimeException e) {
        pipelined = null;
        pipelinedFailedAt = System.nanoTime();
        return null;
      }
    } finally {
      pipelinedLock.unlock();
    }
  }

  /**
   * Runs the script over the direct connection (the caller holds {@code directLock}); {@link #NOT_SENT} when
   * that connection cannot be opened, so the caller goes the pipelined way.
   */
  private List<Object> runDirect(LuaScript lua, String baseKey, Object[] args) {
    if (direct == null || !direct.isUsable() || !direct.isAliveAfterIdle(DIRECT_IDLE_CHECK_NANOS)) {
      if (closed || System.nanoTime() - directFailedAt < RETRY_NANOS) {
        return NOT_SENT;
      }
      try {
        direct = DirectConnection.open(settings, CLIENT_NAME, CONNECT_TIMEOUT_MS, COMMAND_TIMEOUT_MS);
      } catch (IOException | RuntimeException e) {
        direct = null;
        directFailedAt = System.nanoTime();
        return NOT_SENT;
      }
    }
    return evalsha(lua, evalshaCommand(lua, baseKey, args), direct::call);
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

  /** Closes Corral's own connections. */
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
    pipelinedLock.lock();
    try {
      if (pipelined != null) {
        pipelined.close();
      }
    } finally {
      pipelinedLock.unlock();
    }
  }
}
