package dev.corral.broker;

import dev.corral.broker.internal.DedicatedClients;
import java.util.List;
import java.util.Optional;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisConnection;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommand;
import org.redisson.client.protocol.decoder.ObjectListReplayDecoder;

/**
 * One dedicated, named Redis connection for blocking calls ({@code BZPOPMIN} on a queue's marker).
 * Its client name makes a worker visible to BullMQ's {@code getWorkers()}.
 *
 * <p>Used by one thread at a time; {@link #close()} may be called from any thread to interrupt a block.
 */
public final class BlockingConnection implements AutoCloseable {

  // The command name must stay "BZPOPMIN" so Redisson treats it as blocking; the decoder keeps the score.
  private static final RedisCommand<List<Object>> BZPOPMIN =
      new RedisCommand<>("BZPOPMIN", new ObjectListReplayDecoder<>());

  private final RedisClient client;
  private final RedisConnection connection;

  BlockingConnection(RedissonClient shared, RedisSettings settings, String clientName, String routingKey) {
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
    List<Object> reply = connection.sync(StringCodec.INSTANCE, BZPOPMIN, key, Math.max(1, timeoutSeconds));
    if (reply == null || reply.size() < 3) {
      return Optional.empty();
    }
    return Optional.of(new Popped(String.valueOf(reply.get(1)), Double.parseDouble(String.valueOf(reply.get(2)))));
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return connection.isActive();
  }

  @Override
  public void close() {
    connection.closeAsync();
    client.shutdown();
  }
}
