package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.internal.ReaderShutdown;
import dev.corral.broker.internal.StreamConnection;
import dev.corral.broker.support.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.redisson.api.stream.StreamMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the DAG event stream {@code <p>:dag:stream} (docs/dag.md: {@code execution-started}, {@code node-released},
 * {@code node-finished}, {@code execution-finished}) and hands every entry, in stream order, to one listener: the
 * DAG counterpart of {@code QueueEvents}, for live progress views such as the API's {@code /api/stream}.
 *
 * <p>One virtual thread runs {@code XREAD BLOCK} (whole seconds) on a dedicated connection named
 * {@code corral:dag-events:<p>}, so it never holds a connection of the shared pool. {@link #start()} fixes the
 * stream's current end before it returns, so every entry written afterwards is delivered. On a Redis error the
 * reader reconnects with backoff (100 ms doubling to 5 s) and resumes after the last entry delivered. A listener
 * that throws is logged and the reader goes on.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and interrupts a pending block at once.
 */
public final class DagEvents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DagEvents.class);
  private static final int BLOCK_SECONDS = 5;
  private static final int BATCH = 500;

  /**
   * One entry of the DAG stream.
   *
   * @param id the stream entry id
   * @param event the event name, e.g. {@code node-finished}
   * @param executionId the execution it is about ({@code execId})
   * @param fields the other fields, as stored (e.g. {@code nodeId}, {@code state}, {@code status})
   */
  public record DagEvent(String id, String event, String executionId, Map<String, String> fields) {

    /** Copies the fields. */
    public DagEvent {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Decodes a stream entry ({@code event} and {@code execId} are taken out of the fields). */
    public static DagEvent of(String id, Map<String, String> entry) {
      Map<String, String> rest = new LinkedHashMap<>(entry);
      String event = rest.remove("event");
      String execId = rest.remove("execId");
      return new DagEvent(id, event, execId, rest);
    }
  }

  private final BrokerClient client;
  private final String stream;
  private final Consumer<DagEvent> listener;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile String lastId;
  private volatile boolean closed;
  private Thread loop; // guarded by lock
  private StreamConnection connection; // guarded by lock

  private DagEvents(BrokerClient client, String stream, Consumer<DagEvent> listener) {
    this.client = client;
    this.stream = stream;
    this.listener = listener;
  }

  /**
   * A reader of the DAG stream under {@code prefix}; nothing is read until {@link #start()}.
   *
   * @throws IllegalArgumentException for an invalid prefix
   */
  public static DagEvents create(BrokerClient client, String prefix, Consumer<DagEvent> listener) {
    Checks.notNull(client, "client");
    Checks.notNull(listener, "listener");
    return new DagEvents(client, new DagKeys(prefix).stream(), listener);
  }

  /**
   * Starts reading after the stream's current end. Calling it again while running does nothing.
   *
   * @throws IllegalStateException when closed
   */
  public DagEvents start() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("DagEvents of " + stream + " is closed");
      }
      if (loop != null) {
        return this;
      }
      lastId = StreamConnection.latestIdOnSharedClient(client, stream);
      connection = new StreamConnection(client, clientName(stream), BLOCK_SECONDS * 1000L, stream);
      StreamConnection reader = connection;
      loop = Thread.ofVirtual().name("corral-dag-events").start(() -> run(reader));
      return this;
    } finally {
      lock.unlock();
    }
  }

  /** The reader's connection name: {@code corral:dag-events:<p>}. */
  static String clientName(String stream) {
    return "corral:dag-events:" + stream.substring(0, stream.length() - ":dag:stream".length());
  }

  /** The id of the last entry delivered, or the start position while none was. */
  public String lastEventId() {
    return lastId;
  }

  /** Stops reading and closes the dedicated connection; no listener call starts after this returns. */
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
      owned = connection;
    } finally {
      lock.unlock();
    }
    ReaderShutdown.stop(running, owned, "DagEvents " + stream);
  }

  private void run(StreamConnection reader) {
    long pauseMs = 100;
    while (!closed) {
      try {
        Map<StreamMessageId, Map<String, String>> batch = reader.read(stream, lastId, BATCH, BLOCK_SECONDS * 1000L);
        pauseMs = 100;
        for (Map.Entry<StreamMessageId, Map<String, String>> e : batch.entrySet()) {
          if (closed) {
            return;
          }
          lastId = e.getKey().toString();
          deliver(DagEvent.of(lastId, e.getValue()));
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | ExecutionException e) {
        if (closed) {
          break;
        }
        LOG.warn("DagEvents {}: Redis error ({}); retrying in {} ms", stream, e.toString(), pauseMs);
        reader.dropConnection();
        try {
          TimeUnit.MILLISECONDS.sleep(pauseMs);
        } catch (InterruptedException ie) {
          break;
        }
        pauseMs = Math.min(pauseMs * 2, 5_000);
      }
    }
    reader.dropConnection();
  }

  private void deliver(DagEvent event) {
    try {
      listener.accept(event);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      LOG.warn("DagEvents {}: the listener failed on {} {} (the reader goes on)", stream, event.event(),
          event.id(), t);
    }
  }
}
