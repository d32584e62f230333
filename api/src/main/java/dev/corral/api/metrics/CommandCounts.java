package dev.corral.api.metrics;

import dev.corral.broker.workers.CommandType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Worker commands sent through this API instance since it started, by type. The registry keeps only a bounded
 * audit per worker, with no cheap global count, so this counts at the source instead; commands sent by other
 * API instances or by Java code directly are not in it. Thread-safe.
 */
public final class CommandCounts {

  private final Map<CommandType, LongAdder> sent = new EnumMap<>(CommandType.class);

  /** Zero counts for every command type. */
  public CommandCounts() {
    for (CommandType type : CommandType.values()) {
      sent.put(type, new LongAdder());
    }
  }

  /** Counts one command of {@code type} sent. */
  public void sent(CommandType type) {
    sent.get(type).increment();
  }

  /** Commands of {@code type} sent so far. */
  public long count(CommandType type) {
    return sent.get(type).sum();
  }

  /** Writes {@code corral_api_worker_commands_sent_total}. */
  public void write(PrometheusText out) {
    out.family("corral_api_worker_commands_sent_total", "counter",
        "Worker commands queued through this API instance since it started, by type.");
    sent.forEach((type, n) -> out.sample("corral_api_worker_commands_sent_total", n.sum(), "type", type.wireName()));
  }
}
