package dev.corral.broker;

import dev.corral.broker.internal.DedicatedClients;
import dev.corral.broker.scripts.MarkerConnection;
import dev.corral.broker.scripts.ScriptRunner;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisConnection;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommand;
import org.redisson.client.protocol.decoder.ObjectListReplayDecoder;

/**
 * One dedicated, named Redis connection for blocking calls ({@code BZPOPMIN} on a queue's marker).
 * Its client name makes a worker visible to BullMQ's {@code getWorkers()}. On a single plain-TCP server it is
 * a {@link MarkerConnection} of Corral's own, read on the caller's thread, which can also run the fetch script
 * right behind the block ({@link #marker()}); elsewhere (Sentinel, Cluster, TLS) a Redisson connection.
 *
 * <p>Used by one thread at a time; {@link #close()} may be called from any thread to interrupt a block.
 */
public final class BlockingConnection implements AutoCloseable {

  // The command name must stay "BZPOPMIN" so Redisson treats it as blocking; the decoder keeps the score.
  private static final RedisCommand<List<Object>> BZPOPMIN =
      new RedisCommand<>("BZPOPMIN", new ObjectListReplayDecoder<>());

  private final RedisClient client; // null with an own connection
  private final RedisConnection connection; // null with an own connection
  private final MarkerConnection own; // null on Sentinel, Cluster, TLS
  private final AtomicBoolean closed = new AtomicBoolean();

  BlockingConnection(RedissonClient shared, RedisSettings settings, ScriptRunner scripts, String clientName,
      String routingKey) {
    this.own = scripts.markerConnection(clientName);
    if (own != null) {
      this.client = null;
      this.connection = null;
      own.connect(); // now, as on the Redisson path: an unreachable Redis fails here
      return;
    }
    // a block lasts at most 10 s (BullMQ's cap); leave room for the reply
    this.client = DedicatedClients.create(shared, settings, clientName, 20_000, routingKey);
    this.connection = client.connect();
  }

  /** A popped marker member and its score. */
  public record Popped(String member, double score) {}

  /**
   * {@code BZPOPMIN key timeout}, in whole seconds (Redisson cannot time fractional blocks).
   *
   * @param timeoutSeconds 1..10
   * @return the popped member, or empty on timeout
   */
  public Optional<Popped> bzpopmin(String key, int timeoutSeconds) {
    if (own != null) {
      MarkerConnection.Woken woken = own.pop(key, timeoutSeconds);
      return woken.marker() == null ? Optional.empty() : Optional.of(new Popped(woken.marker(), woken.markerScore()));
    }
    List<Object> reply = connection.sync(StringCodec.INSTANCE, BZPOPMIN, key, Math.max(1, timeoutSeconds));
    if (reply == null || reply.size() < 3) {
      return Optional.empty();
    }
    return Optional.of(new Popped(String.valueOf(reply.get(1)), Double.parseDouble(String.valueOf(reply.get(2)))));
  }

  /**
   * The own connection, which can run a script right behind a block; null on Sentinel, Cluster and TLS, where
   * the caller blocks with {@link #bzpopmin} and then runs its script through the {@link ScriptRunner}.
   */
  public MarkerConnection marker() {
    return own;
  }

  /**
   * Ends a block in progress on an own connection as if it had timed out (see {@link MarkerConnection#wake()});
   * returns false, doing nothing, on a Redisson connection, where only {@link #close()} ends a block.
   */
  public boolean wake() {
    if (own == null) {
      return false;
    }
    own.wake();
    return true;
  }

  /** Whether the connection is still open (an own connection reopens at its next call after a failure). */
  public boolean isOpen() {
    return own != null ? own.isOpen() : connection.isActive();
  }

  /** Closes the connection; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (own != null) {
      own.close();
      return;
    }
    connection.closeAsync();
    client.shutdown();
  }
}
