package dev.corral.broker.events;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.support.Checks;
import dev.corral.broker.internal.ReaderShutdown;
import dev.corral.broker.internal.StreamConnection;
import dev.corral.broker.keys.QueueKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.redisson.api.stream.StreamMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails a queue's events stream {@code <prefix>:<queue>:events} and delivers each entry, in stream order, to
 * the registered listeners: the Java counterpart of BullMQ's {@code QueueEvents}.
 *
 * <p>One virtual thread runs {@code XREAD BLOCK} on a dedicated connection named
 * {@code "<prefix>:<base64(queue)>:qe"} (as BullMQ names it), so it never holds a connection of the shared
 * pool. Listeners run on that thread, one event at a time; a listener that throws is logged and the loop
 * goes on. When Redis is unreachable the loop reconnects with exponential backoff
 * ({@link QueueEventsOptions#minRetryDelay()} .. {@link QueueEventsOptions#maxRetryDelay()}) and resumes
 * after {@link #lastEventId()}, so no stored event is skipped (unless the stream was trimmed meanwhile).
 *
 * <p>Lifecycle: {@link #create}, add listeners, {@link #start()}, {@link #close()}. Thread-safe: listeners
 * may be added or removed at any time, and {@code close()} may be called from any thread, listeners
 * included; it is idempotent and interrupts a pending block at once.
 */
public final class QueueEvents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueueEvents.class);

  private record Registration(EventType type, Consumer<QueueEvent> listener) {}

  private final BrokerClient client;
  private final QueueKeys keys;
  private final QueueEventsOptions options;
  private final List<Registration> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();

  private volatile String lastEventId;
  private volatile boolean closed;
  private volatile long consecutiveFailures;
  private Thread loop; // guarded by lock
  private StreamConnection stream; // guarded by lock; read only by the loop

  private QueueEvents(BrokerClient client, QueueKeys keys, QueueEventsOptions options) {
    this.client = client;
    this.keys = keys;
    this.options = options;
    this.lastEventId = options.startId();
  }

  /**
   * A reader of {@code queueName}'s events; nothing is read until {@link #start()}.
   *
   * @throws IllegalArgumentException for an invalid queue name
   */
  public static QueueEvents create(BrokerClient client, String queueName, QueueEventsOptions options) {
    Checks.notNull(client, "client");
    Checks.notNull(options, "options");
    return new QueueEvents(client, new QueueKeys(options.prefix(), queueName), options);
  }

  /** A reader of {@code queueName}'s new events under the default prefix. */
  public static QueueEvents create(BrokerClient client, String queueName) {
    return create(client, queueName, QueueEventsOptions.defaults());
  }

  /** Delivers every event to {@code listener}. Returns this reader. */
  public QueueEvents addListener(Consumer<QueueEvent> listener) {
    listeners.add(new Registration(null, Checks.notNull(listener, "listener")));
    return this;
  }

  /** Delivers the events of {@code type} to {@code listener}. Returns this reader. */
  public QueueEvents addListener(EventType type, Consumer<QueueEvent> listener) {
    listeners.add(new Registration(Checks.notNull(type, "type"), Checks.notNull(listener, "listener")));
    return this;
  }

  /** Stops delivering to {@code listener} (every registration of it); true when one was removed. */
  public boolean removeListener(Consumer<QueueEvent> listener) {
    return listeners.removeIf(r -> r.listener() == listener);
  }

  /**
   * Starts reading. With {@link QueueEventsOptions#LATEST} the current end of the stream is fixed before this
   * returns, so every event written after {@code start()} returns is delivered. Calling it again while
   * running does nothing.
   *
   * @throws IllegalStateException when closed
   */
  public QueueEvents start() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("QueueEvents of queue " + keys.queueName() + " is closed");
      }
      if (loop != null) {
        return this;
      }
      if (QueueEventsOptions.LATEST.equals(lastEventId)) {
        try {
          lastEventId = StreamConnection.latestIdOnSharedClient(client, keys.events());
        } catch (RuntimeException e) {
          LOG.warn("QueueEvents {}: cannot read the stream end yet ({}); the reader will fix it on connect",
              keys.queueName(), e.toString());
        }
      }
      StreamConnection connection = new StreamConnection(client, keys.queueEventsClientName(),
          options.blockSeconds() * 1000L, keys.events());
      stream = connection;
      loop = Thread.ofVirtual().name("corral-qe-" + keys.queueName()).start(() -> run(connection));
      return this;
    } finally {
      lock.unlock();
    }
  }

  /** The id of the last entry delivered (or the start position while none was); {@code $} = not yet known. */
  public String lastEventId() {
    return lastEventId;
  }

  /** Whether the reader was started and not closed. */
  public boolean isRunning() {
    lock.lock();
    try {
      return loop != null && !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Redis errors since the last successful read (0 while healthy). */
  public long consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The queue's keys. */
  public QueueKeys keys() {
    return keys;
  }

  /**
   * Stops reading and closes the dedicated connection; no listener is called after this returns (unless it
   * is called from a listener, which then finishes first). Idempotent.
   */
  @Override
  public void close() {
    Thread running;
    StreamConnection owned;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      running = loop;
      owned = stream;
    } finally {
      lock.unlock();
    }
    ReaderShutdown.stop(running, owned, "QueueEvents " + keys.queueName());
  }

  // ---------------------------------------------------------------- the loop

  private void run(StreamConnection connection) {
    long pauseMs = options.minRetryDelay().toMillis();
    while (!closed) {
      try {
        if (QueueEventsOptions.LATEST.equals(lastEventId)) {
          lastEventId = connection.latestId(keys.events());
        }
        Map<StreamMessageId, Map<String, String>> batch = connection.read(keys.events(), lastEventId,
            options.batchSize(), options.blockSeconds() * 1000L);
        consecutiveFailures = 0;
        pauseMs = options.minRetryDelay().toMillis();
        deliver(batch);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | ExecutionException e) {
        if (closed) {
          break;
        }
        consecutiveFailures++;
        LOG.warn("QueueEvents {}: Redis error ({}); retrying in {} ms", keys.queueName(), rootMessage(e), pauseMs);
        connection.dropConnection();
        try {
          TimeUnit.MILLISECONDS.sleep(pauseMs);
        } catch (InterruptedException ie) {
          break;
        }
        pauseMs = Math.min(pauseMs * 2, options.maxRetryDelay().toMillis());
      }
    }
    connection.dropConnection();
  }

  private void deliver(Map<StreamMessageId, Map<String, String>> batch) {
    for (Map.Entry<StreamMessageId, Map<String, String>> entry : batch.entrySet()) {
      if (closed) {
        return;
      }
      Map<String, String> fields = new LinkedHashMap<>(entry.getValue());
      String id = entry.getKey().toString();
      lastEventId = id;
      QueueEvent event = QueueEvent.of(id, fields);
      for (Registration r : listeners) {
        if (r.type() == null || r.type() == event.type()) {
          notify(r.listener(), event);
        }
      }
    }
  }

  private void notify(Consumer<QueueEvent> listener, QueueEvent event) {
    try {
      listener.accept(event);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      LOG.warn("QueueEvents {}: a listener failed on {} {} (the reader goes on)", keys.queueName(),
          event.event(), event.id(), t);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
