package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;

/**
 * The worker connections of a queue as BullMQ's {@code Queue.getWorkers()} finds them: one {@code CLIENT LIST}
 * call, keeping the clients named {@code <prefix>:<base64(queue)>} or {@code <prefix>:<base64(queue)>:w:<name>}
 * ({@link QueueKeys#workerClientName(String)}; Corral's and Node's blocking worker connections carry these names).
 * Unlike the worker registry this also sees Node BullMQ workers, but it knows nothing of their load.
 *
 * <p>Thread-safe; stateless.
 */
public final class QueueConnections {

  /**
   * One worker connection.
   *
   * @param rawName the client name as set
   * @param workerName the worker's name (after {@code :w:}), or null for an unnamed worker
   * @param addr the client's address ({@code ip:port})
   * @param ageSeconds how long the connection has been open
   * @param idleSeconds how long since its last command
   */
  public record WorkerConnection(String rawName, String workerName, String addr, long ageSeconds,
      long idleSeconds) {}

  private QueueConnections() {}

  /** The worker connections of the queue {@code keys}, in {@code CLIENT LIST} order. */
  public static List<WorkerConnection> workers(BrokerClient client, QueueKeys keys) {
    Checks.notNull(client, "client");
    Checks.notNull(keys, "keys");
    CommandAsyncExecutor ex = ((Redisson) client.redisson()).getCommandExecutor();
    List<String> lines = ex.get(ex.<List<String>, List<String>>writeAsync((String) null, StringCodec.INSTANCE,
        RedisCommands.CLIENT_LIST));
    return parse(lines, keys);
  }

  /** The worker connections of {@code keys} among {@code CLIENT LIST} lines. Pure. */
  static List<WorkerConnection> parse(List<String> lines, QueueKeys keys) {
    String unnamed = keys.workerClientName(null);
    String named = unnamed + ":w:";
    List<WorkerConnection> out = new ArrayList<>();
    for (String line : lines) {
      Map<String, String> fields = fields(line);
      String name = fields.getOrDefault("name", "");
      if (name.equals(unnamed) || (name.startsWith(named) && name.length() > named.length())) {
        out.add(new WorkerConnection(name, name.equals(unnamed) ? null : name.substring(named.length()),
            fields.getOrDefault("addr", ""), number(fields.get("age")), number(fields.get("idle"))));
      }
    }
    return out;
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : line.strip().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return fields;
  }

  private static long number(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
