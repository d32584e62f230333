package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.internal.StreamConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.redisson.api.RMap;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/**
 * The coordinator's event loop body: one round re-reads the queue set {@code <p>:dag:queues}, then runs one
 * {@code XREAD BLOCK} over the DAG stream and every followed queue's events stream, runs
 * {@code dagNodeFinished} for each {@code completed} / {@code failed} event, and stores the queues' new
 * cursors in {@code <p>:dag:cursors}.
 *
 * <p>The DAG stream is read (from its end at the first round) only to wake the block when an execution is
 * submitted or changes, so that a queue added by a submission is followed at once. A queue without a cursor
 * is read from the start of its retained stream ({@code 0-0}): an event written between the submission and
 * the first read of that queue is never missed. Used by one thread.
 */
final class DagEventFollower {

  private static final String FIRST = "0-0";

  private final BrokerClient client;
  private final DagKeys keys;
  private final DagCoordinatorOptions options;
  private final StreamConnection connection;
  private final Consumer<String> warn;
  private final Map<String, String> cursors = new HashMap<>(); // queue base key -> last handled id
  // events stream key -> queue base key; read by other threads through followed()
  private final Map<String, String> eventsToQueue = new ConcurrentHashMap<>();
  private String dagStreamId;

  final AtomicLong eventsRead = new AtomicLong();
  final AtomicLong eventsHandled = new AtomicLong();
  final AtomicLong nodesFinished = new AtomicLong();

  DagEventFollower(BrokerClient client, DagKeys keys, DagCoordinatorOptions options, StreamConnection connection,
      Consumer<String> warn) {
    this.client = client;
    this.keys = keys;
    this.options = options;
    this.connection = connection;
    this.warn = warn;
  }

  /** The queue base keys followed after the last round. */
  Set<String> followed() {
    return Set.copyOf(eventsToQueue.values());
  }

  /**
   * One round: refresh the queue set, block for new entries (at most the block timeout), handle them.
   *
   * @throws RuntimeException / ExecutionException when Redis fails; cursors of events not handled stay put
   */
  void round() throws InterruptedException, ExecutionException {
    refreshQueues();
    if (dagStreamId == null) {
      dagStreamId = connection.latestId(keys.stream());
    }
    Map<String, String> afterIds = new LinkedHashMap<>();
    afterIds.put(keys.stream(), dagStreamId);
    eventsToQueue.forEach((events, queue) -> afterIds.put(events, cursors.get(queue)));
    Map<String, Map<StreamMessageId, Map<String, String>>> batch = connection.read(afterIds,
        options.batchSize(), options.blockTimeout().toMillis());
    Map<String, String> moved = new HashMap<>();
    try {
      for (Map.Entry<String, Map<StreamMessageId, Map<String, String>>> stream : batch.entrySet()) {
        if (stream.getKey().equals(keys.stream())) {
          stream.getValue().keySet().forEach(id -> dagStreamId = id.toString());
          continue; // a submission or a change: the next round re-reads the queue set
        }
        String queue = eventsToQueue.get(stream.getKey());
        if (queue == null) {
          continue;
        }
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : stream.getValue().entrySet()) {
          eventsRead.incrementAndGet();
          handle(queue, entry.getValue());
          cursors.put(queue, entry.getKey().toString());
          moved.put(queue, entry.getKey().toString());
        }
      }
    } finally {
      if (!moved.isEmpty()) {
        saveCursors(moved);
      }
    }
  }

  private void handle(String queue, Map<String, String> event) {
    String type = event.get("event");
    String jobId = event.get("jobId");
    String value;
    if ("completed".equals(type)) {
      value = event.getOrDefault("returnvalue", "null");
    } else if ("failed".equals(type)) {
      value = event.getOrDefault("failedReason", "");
    } else {
      return;
    }
    if (jobId == null || jobId.isEmpty()) {
      return;
    }
    boolean finished = DagExecutions.runNodeFinished(client.scripts(), keys, queue, jobId, client.clock().millis(),
        type, value);
    eventsHandled.incrementAndGet();
    if (finished) {
      nodesFinished.incrementAndGet();
    }
  }

  private void refreshQueues() {
    Set<String> queues = client.redisson().<String, String>getMap(keys.queues(), StringCodec.INSTANCE)
        .readAllKeySet();
    eventsToQueue.values().removeIf(q -> !queues.contains(q));
    cursors.keySet().retainAll(queues);
    List<String> added = new ArrayList<>();
    for (String queue : queues) {
      if (!cursors.containsKey(queue)) {
        added.add(queue);
      }
    }
    if (added.isEmpty()) {
      return;
    }
    Map<String, String> stored = cursorMap().getAll(Set.copyOf(added));
    for (String queue : added) {
      String events;
      try {
        events = keys.queue(keys.queueName(queue)).events();
      } catch (IllegalArgumentException e) {
        warn.accept("DagCoordinator: '" + queue + "' in " + keys.queues() + " is not a queue under prefix '"
            + keys.prefix() + "'; not followed");
        cursors.put(queue, FIRST); // known: not warned again
        continue;
      }
      cursors.put(queue, stored.getOrDefault(queue, FIRST));
      eventsToQueue.put(events, queue);
    }
  }

  private void saveCursors(Map<String, String> moved) {
    cursorMap().putAll(moved);
  }

  private RMap<String, String> cursorMap() {
    return client.redisson().getMap(keys.cursors(), StringCodec.INSTANCE);
  }
}
