package dev.corral.api.leader;

import dev.corral.broker.BrokerClient;
import java.util.List;
import java.util.TreeSet;
import org.redisson.api.options.KeysScanOptions;

/**
 * The queues under a prefix, found by {@code SCAN <prefix>:*:meta} (every queue writes its meta hash, in
 * Java and Node alike). Holds no state; thread-safe.
 */
public final class KnownQueues {

  /** Keys asked for per SCAN call. */
  static final int SCAN_COUNT = 500;

  private KnownQueues() {}

  /** The queue names under {@code prefix}, sorted (names with {@code :} are not queues and are skipped). */
  public static List<String> list(BrokerClient broker, String prefix) {
    String head = prefix + ":";
    TreeSet<String> names = new TreeSet<>();
    Iterable<String> keys = broker.redisson().getKeys().getKeys(KeysScanOptions.defaults()
        .pattern(escape(prefix) + ":*:meta").chunkSize(SCAN_COUNT));
    for (String k : keys) {
      String name = k.substring(head.length(), k.length() - ":meta".length());
      if (!name.isEmpty() && !name.contains(":")) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /** {@code prefix} with the glob characters of SCAN MATCH escaped. */
  static String escape(String prefix) {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }
}
