package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An idle worker's own connection to a single plain-TCP Redis, read on the worker's fetch thread: it blocks
 * with {@code BZPOPMIN} on the queue's marker and has the fetch script queued right behind it on the same
 * connection, so that Redis runs the fetch the moment the block ends and both replies come back together
 * (one round trip and one thread wake-up fewer between an add and the processor's start than "block, then
 * fetch"). Redis holds a blocked client's further commands until the block ends, then runs them at once.
 *
 * <p>The fetch's {@code now} cannot be taken when it is written (the block may last seconds), so the script gets
 * {@code "@<offset>"}: Redis' {@code TIME} plus the offset in µs of the worker's clock from Redis' clock,
 * bounded from a {@code TIME} sent just before each block ({@link ClockOffset}: never below the true offset,
 * above it by at most the shortest recent round trip, tens of µs on one host). Timestamps stay the worker clock's,
 * as with every other script.
 *
 * <p>Reconnects on the next call after a failure. Used by one thread; {@link #close()} may be called from any
 * thread and ends a block in progress (the call then fails with {@link BrokerException}).
 */
public final class MarkerConnection implements AutoCloseable {

  /** A block ends after at most this long; the socket timeout leaves room for the reply. */
  public static final int MAX_BLOCK_SECONDS = 10;

  /**
   * The shortest block: 2 ms, the least every Redis with fractional timeouts (6.0 and later) accepts (BullMQ uses
   * 1 ms from Redis 7.0.8 on, else 2 ms).
   */
  public static final long MIN_BLOCK_MS = 2;

  private static final int CONNECT_TIMEOUT_MS = 2_000;
  /** TIME round trips on a new connection before its first block: the first, on cold code, can take ms. */
  private static final int FIRST_CLOCK_SAMPLES = 3;
  private static final int READ_TIMEOUT_MS = (MAX_BLOCK_SECONDS + 10) * 1000;

  /**
   * What a wait brought.
   *
   * @param marker the popped marker member ({@code "0"} base, {@code "1"} delayed), null when the block timed out
   * @param markerScore its score (for {@code "1"}, the next delayed due time in ms)
   * @param reply the script's reply, or null when it did not run (it was not loaded yet; it is now)
   * @param cutShort true when a {@link #wake()} came before the call blocked: nothing was sent, neither the block
   *     nor the script ran
   */
  public record Woken(String marker, double markerScore, List<Object> reply, boolean cutShort) {

    static final Woken CUT_SHORT = new Woken(null, 0, null, true);
  }

  private final RedisSettings settings;
  private final String clientName;
  private final ScriptRegistry registry;
  private volatile DirectConnection connection;
  private final ClockOffset offset = new ClockOffset(); // fetch thread only
  private volatile long clientId; // CLIENT ID of connection
  private volatile boolean inCall;
  private final AtomicBoolean wakePending = new AtomicBoolean(); // a wake() the next call must obey
  private volatile boolean closed;
  private final Object wakeLock = new Object();
  private DirectConnection control; // guarded by wakeLock: sends CLIENT UNBLOCK

  MarkerConnection(RedisSettings settings, String clientName, ScriptRegistry registry) {
    this.settings = settings;
    this.clientName = clientName;
    this.registry = registry;
  }

  /**
   * {@code BZPOPMIN markerKey timeout}, then {@code command} for {@code baseKey} with ARGV
   * {@code "@<offset>", args...} run by Redis as soon as the block ends (marker popped or timed out). The timeout is
   * in milliseconds, sent as fractional seconds as BullMQ's worker does (this connection is Corral's own, so
   * Redisson's trouble with fractional timeouts does not apply), clamped to
   * {@value #MIN_BLOCK_MS} ms .. {@value #MAX_BLOCK_SECONDS} s.
   *
   * @param clock the clock whose time the script's {@code now} follows
   * @throws Resp.ErrorReply when the script failed
   * @throws BrokerException when the connection failed or was closed (the script may or may not have run)
   */
  public Woken popThenRun(String markerKey, long timeoutMs, Command command, String baseKey, Clock clock,
      Object... args) {
    LuaScript lua = registry.get(command);
    inCall = true;
    try {
      if (takeWake()) {
        return Woken.CUT_SHORT;
      }
      return popThenRun(lua, markerKey, blockTimeout(timeoutMs), baseKey, clock, args);
    } finally {
      inCall = false;
    }
  }

  /** True, once, when a {@link #wake()} came while no call was blocked: the caller must send nothing. */
  private boolean takeWake() {
    return wakePending.getAndSet(false);
  }

  /** {@code ms} as BZPOPMIN's timeout in seconds with three decimals, clamped to the block bounds. */
  static String blockTimeout(long ms) {
    long clamped = Math.max(MIN_BLOCK_MS, Math.min(MAX_BLOCK_SECONDS * 1000L, ms));
    return clamped % 1000 == 0 ? String.valueOf(clamped / 1000) : String.format("%d.%03d", clamped / 1000, clamped % 1000);
  }

  private Woken popThenRun(LuaScript lua, String markerKey, String timeout, String baseKey, Clock clock,
      Object[] args) {
    DirectConnection c = connection(false);
    if (!offset.hasSample()) {
      sampleClock(c, clock);
    }
    long offsetMicros;
    try {
      offsetMicros = sendTimeAndBlock(c, markerKey, timeout, clock);
    } catch (BrokerException stale) {
      // Redis closed this idle socket (a restart): nothing sent on it ran. One fresh try.
      c = connection(true);
      offsetMicros = sendTimeAndBlock(c, markerKey, timeout, clock);
    }
    Object[] argv = new Object[1 + args.length];
    argv[0] = "@" + offsetMicros;
    System.arraycopy(args, 0, argv, 1, args.length);
    c.send(ScriptRunner.evalshaCommand(lua, baseKey, argv));
    c.flush();
    Object popped = null;
    Resp.ErrorReply popError = null;
    try {
      popped = c.read();
    } catch (Resp.ErrorReply e) {
      popError = e; // the script still runs; its reply decides
    }
    List<Object> reply = scriptReply(c, lua);
    if (popError != null && reply == null) {
      throw popError;
    }
    return woken(popped, reply);
  }

  /**
   * {@code BZPOPMIN markerKey timeoutSeconds} alone.
   *
   * @return the popped marker (reply null), or a {@code Woken} with a null marker when the block timed out or was
   *     cut short
   * @throws BrokerException when the connection failed or was closed
   */
  public Woken pop(String markerKey, int timeoutSeconds) {
    Object popped;
    inCall = true;
    try {
      if (takeWake()) {
        return Woken.CUT_SHORT;
      }
      popped = connection(false).call("BZPOPMIN", markerKey, String.valueOf(blockSeconds(timeoutSeconds)));
    } finally {
      inCall = false;
    }
    return woken(popped, null);
  }

  private static int blockSeconds(int timeoutSeconds) {
    return Math.max(1, Math.min(MAX_BLOCK_SECONDS, timeoutSeconds));
  }

  /** A {@code BZPOPMIN} reply ({@code [key, member, score]}, or nil on timeout) with the script's reply. */
  private static Woken woken(Object popped, List<Object> reply) {
    if (popped instanceof List<?> p && p.size() >= 3) {
      return new Woken(String.valueOf(p.get(1)), Double.parseDouble(String.valueOf(p.get(2))), reply, false);
    }
    return new Woken(null, 0, reply, false);
  }

  /** A few TIME round trips, so that the first fetch's timestamps do not carry a cold round trip's error. */
  private void sampleClock(DirectConnection c, Clock clock) {
    for (int i = 0; i < FIRST_CLOCK_SAMPLES; i++) {
      long before = ServerTime.micros(clock);
      Object time = c.call("TIME");
      offset.sample(before, ServerTime.micros(clock), ServerTime.micros(time));
    }
  }

  /** Sends TIME and the block, reads TIME's reply; returns the clock's offset from Redis' clock in µs. */
  private long sendTimeAndBlock(DirectConnection c, String markerKey, String timeout, Clock clock) {
    long before = ServerTime.micros(clock);
    c.send("TIME");
    c.send("BZPOPMIN", markerKey, timeout);
    c.flush();
    Object time = c.read();
    long after = ServerTime.micros(clock);
    offset.sample(before, after, ServerTime.micros(time));
    return offset.offsetMicros();
  }

  @SuppressWarnings("unchecked")
  private List<Object> scriptReply(DirectConnection c, LuaScript lua) {
    try {
      return (List<Object>) c.read();
    } catch (Resp.ErrorReply e) {
      if (!e.isNoScript()) {
        throw e;
      }
      c.call("SCRIPT", "LOAD", lua.source());
      return null;
    }
  }

  private DirectConnection connection(boolean fresh) {
    if (closed) {
      throw new BrokerException("the marker connection is closed", null);
    }
    DirectConnection c = connection;
    if (c != null && c.isUsable() && !fresh) {
      return c;
    }
    if (c != null) {
      c.close();
    }
    try {
      c = DirectConnection.open(settings, clientName, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
    } catch (IOException e) {
      throw new BrokerException("cannot connect to Redis for the marker wait: " + e.getMessage(), e);
    }
    clientId = (Long) c.call("CLIENT", "ID");
    connection = c;
    if (closed) { // closed while connecting
      c.close();
      throw new BrokerException("the marker connection is closed", null);
    }
    return c;
  }

  /**
   * Opens the connection now if it is not open (calls open it anyway).
   *
   * @throws BrokerException when Redis cannot be reached or refuses the handshake
   */
  public void connect() {
    connection(false);
  }

  /** Whether the connection is open (it is opened again on the next call after a failure). */
  public boolean isOpen() {
    DirectConnection c = connection;
    return !closed && c != null && c.isUsable();
  }

  /**
   * Ends a block in progress as if it had timed out ({@code CLIENT UNBLOCK} from a second connection), so the
   * call returns at once, with the script's reply (a pause or close then lets the fetch that was waiting
   * finish, instead of cutting the connection under a script that may have taken a job). A call that has not
   * blocked yet, or the next call when none is in progress, returns at once without sending anything
   * ({@link Woken#cutShort()}), as a thread parked after {@code LockSupport.unpark}: a caller that stops taking
   * jobs and then wakes the connection knows that no fetch of this connection runs after the wake unless it was
   * already waiting in Redis. A call about to block is waited for until it blocks or ends. Best effort against
   * Redis: fails quietly when Redis cannot be reached (the block then ends by itself).
   */
  public void wake() {
    wakePending.set(true);
    synchronized (wakeLock) {
      try {
        long deadline = System.nanoTime() + MAX_BLOCK_SECONDS * 1_000_000_000L;
        while (inCall && !closed && System.nanoTime() < deadline) {
          if (control == null || !control.isUsable()) {
            control = DirectConnection.open(settings, ScriptRunner.CLIENT_NAME, CONNECT_TIMEOUT_MS,
                CONNECT_TIMEOUT_MS);
          }
          if (Long.valueOf(1).equals(control.call("CLIENT", "UNBLOCK", String.valueOf(clientId)))) {
            wakePending.set(false); // obeyed by the call that was blocked
            return;
          }
          Thread.sleep(1); // the block was not in Redis yet, or the call took the wake before blocking
        }
      } catch (IOException | RuntimeException e) {
        // Redis unreachable: the block ends by itself (at most MAX_BLOCK_SECONDS)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the connection; a block in progress ends with {@link BrokerException}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    DirectConnection c = connection;
    if (c != null) {
      c.close();
    }
    synchronized (wakeLock) {
      if (control != null) {
        control.close();
      }
    }
  }
}
