package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.redisson.api.options.KeysScanOptions;

/**
 * Finds the queues under a prefix without {@code KEYS}: it {@code SCAN}s ({@code COUNT} {@value #SCAN_COUNT}) for
 * {@code <prefix>:*:meta} (written by every Corral and BullMQ queue) and {@code <prefix>:*:id} (the job id
 * counter of a queue that ever added a job without a custom id), one pass per pattern, as BullMQ dashboards do.
 * A key whose middle part is not a valid queue name (it contains {@code :}, e.g. a job hash whose id is
 * {@code meta} in a deeper key) is ignored.
 *
 * <p>The cost is that of a full keyspace {@code SCAN} per pattern: about {@code keys / 1000} round trips, each
 * short, so Redis is never blocked. Thread-safe; stateless.
 */
public final class QueueDirectory {

  /** The {@code COUNT} hint of each {@code SCAN} call. */
  public static final int SCAN_COUNT = 1000;

  /** The key suffixes that mark a queue. */
  public static final List<String> MARKERS = List.of("meta", "id");

  private QueueDirectory() {}

  /** The names of the queues under {@code prefix}, sorted. */
  public static SortedSet<String> queueNames(BrokerClient client, String prefix) {
    Checks.notNull(client, "client");
    QueueKeys.validatePrefix(prefix);
    SortedSet<String> names = new TreeSet<>();
    for (String marker : MARKERS) {
      KeysScanOptions scan = KeysScanOptions.defaults().pattern(glob(prefix) + ":*:" + marker).chunkSize(SCAN_COUNT);
      for (String key : client.redisson().getKeys().getKeys(scan)) {
        queueNameOf(prefix, key, marker).ifPresent(names::add);
      }
    }
    return names;
  }

  /** The queue name of {@code <prefix>:<queue>:<marker>}, empty when the key has another shape. Pure. */
  static Optional<String> queueNameOf(String prefix, String key, String marker) {
    String head = prefix + ":";
    String tail = ":" + marker;
    if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) {
      return Optional.empty();
    }
    String name = key.substring(head.length(), key.length() - tail.length());
    try {
      QueueKeys.validateQueueName(name);
      return Optional.of(name);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code prefix} with the glob characters of {@code SCAN MATCH} escaped. */
  static String glob(String prefix) {
    StringBuilder out = new StringBuilder();
    for (char c : prefix.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
