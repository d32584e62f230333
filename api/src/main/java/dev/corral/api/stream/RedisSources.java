package dev.corral.api.stream;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.dag.DagEvents;
import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.events.QueueEvents;
import dev.corral.broker.events.QueueEventsOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.WorkerKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.redisson.api.RStream;
import org.redisson.api.RTopic;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * The stream's sources on Redis: the heartbeats channel ({@code SUBSCRIBE}), each queue's events stream
 * ({@link QueueEvents}, {@code XREAD BLOCK} in whole seconds from {@code $}) and the DAG stream ({@link DagEvents}),
 * plus the stored entries for a client resuming after an id ({@code XRANGE}). Thread-safe.
 */
public final class RedisSources implements StreamHub.Sources {

  /** Most stored entries replayed per stream for one client. */
  public static final int MAX_REPLAY = 10_000;

  private static final int PAGE = 500;
  private static final int BLOCK_SECONDS = 5;

  private final BrokerClient broker;
  private final String prefix;

  /** The sources under key prefix {@code prefix} on {@code broker}'s Redis. */
  public RedisSources(BrokerClient broker, String prefix) {
    this.broker = broker;
    this.prefix = prefix;
  }

  @Override
  public StreamHub.Source open(String key, Consumer<StreamEvent> sink) {
    if (key.equals(StreamHub.HEARTBEATS)) {
      RTopic topic = broker.redisson().getTopic(new WorkerKeys(prefix).heartbeatChannel(), StringCodec.INSTANCE);
      int id = topic.addListener(String.class, (channel, payload) -> {
        StreamEvent e = EventData.heartbeat(payload);
        if (e != null) {
          sink.accept(e);
        }
      });
      return () -> topic.removeListener(id);
    }
    if (key.equals(StreamHub.EXECUTIONS)) {
      DagEvents events = DagEvents.create(broker, prefix, e -> sink.accept(EventData.execution(e))).start();
      return events::close;
    }
    String queue = queueOf(key);
    QueueEvents events = QueueEvents.create(broker, queue,
        QueueEventsOptions.defaults().withPrefix(prefix).withBlockSeconds(BLOCK_SECONDS));
    events.addListener(e -> sink.accept(EventData.queue(queue, e))).start();
    return events::close;
  }

  /**
   * Sends {@code key}'s stored entries after {@code afterId} (at most {@link #MAX_REPLAY}, oldest first) to
   * {@code sink}; returns the id of the last one, or null when there was none (heartbeats have none).
   */
  public String replay(String key, String afterId, Consumer<StreamEvent> sink) {
    if (key.equals(StreamHub.HEARTBEATS)) {
      return null;
    }
    String stream = key.equals(StreamHub.EXECUTIONS) ? new DagKeys(prefix).stream()
        : new QueueKeys(prefix, queueOf(key)).events();
    RStream<String, String> entries = broker.redisson().getStream(stream, StringCodec.INSTANCE);
    String last = null;
    String from = afterId;
    int sent = 0;
    while (sent < MAX_REPLAY) {
      Map<StreamMessageId, Map<String, String>> page = entries.range(PAGE + 1, id(from), StreamMessageId.MAX);
      int fresh = 0;
      for (Map.Entry<StreamMessageId, Map<String, String>> e : page.entrySet()) {
        String id = e.getKey().toString();
        if (StreamIds.compare(id, afterId) <= 0 || (last != null && StreamIds.compare(id, last) <= 0)) {
          continue; // the start is inclusive
        }
        Map<String, String> fields = new LinkedHashMap<>(e.getValue());
        sink.accept(key.equals(StreamHub.EXECUTIONS) ? EventData.execution(DagEvents.DagEvent.of(id, fields))
            : EventData.queue(queueOf(key), dev.corral.broker.events.QueueEvent.of(id, fields)));
        last = id;
        from = id;
        fresh++;
        if (++sent >= MAX_REPLAY) {
          break;
        }
      }
      if (fresh == 0) {
        break;
      }
    }
    return last;
  }

  private static String queueOf(String key) {
    return key.substring("queue:".length());
  }

  private static StreamMessageId id(String id) {
    String n = StreamIds.normalize(id);
    int dash = n.indexOf('-');
    return new StreamMessageId(Long.parseUnsignedLong(n.substring(0, dash)), Long.parseUnsignedLong(n.substring(dash + 1)));
  }
}
