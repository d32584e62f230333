package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.internal.ReaderShutdown;
import dev.corral.broker.internal.StreamConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.api.stream.StreamMessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the DAG stream {@code <p>:dag:stream} for {@code execution-finished} events on behalf of every
 * caller waiting for executions to end (the SDK's {@code DagClient.awaitCompletion}): one virtual thread, one
 * dedicated connection ({@link StreamConnection}),
 * {@code XREAD BLOCK}, however many callers wait.
 *
 * <p>Nothing is missed between a caller's status check and its wait: {@link #register} returns only once the
 * reader's position is fixed at or before the current end of the stream, so an event written after
 * {@code register} returns is delivered, and one written before it is visible to the caller's status check
 * (the status and the event are written by the same script). The reader pauses while nobody waits (it stops
 * reading the stream) and, on the next registration, restarts from the stream's end as it is then.
 *
 * <p>Thread-safe.
 */
public final class ExecutionFinishedWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionFinishedWatcher.class);
  private static final int BLOCK_SECONDS = 5;
  private static final int BATCH = 1000;

  private final BrokerClient client;
  private final String stream;
  private final Map<String, List<CompletableFuture<String>>> waiters = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wanted = lock.newCondition();
  private volatile String lastId; // only read and written by the loop, and under lock while it is paused
  private boolean paused = true; // guarded by lock
  private boolean closed; // guarded by lock
  private Thread loop; // guarded by lock
  private StreamConnection connection; // guarded by lock; created with the loop

  /** A watcher of the DAG stream {@code stream} ({@link DagKeys#stream()}); starts reading on the first wait. */
  public ExecutionFinishedWatcher(BrokerClient client, String stream) {
    this.client = client;
    this.stream = stream;
  }

  /**
   * Starts watching for the end of {@code execId}: the future completes with its final status when an
   * {@code execution-finished} event for it is read. Call {@link #unregister} when done waiting.
   *
   * @throws IllegalStateException when closed
   */
  public CompletableFuture<String> register(String execId) {
    CompletableFuture<String> future = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the execution watcher is closed");
      }
      waiters.computeIfAbsent(execId, k -> new CopyOnWriteArrayList<>()).add(future);
      if (paused) {
        // the loop is parked: nothing in flight reads from an older position
        lastId = StreamConnection.latestIdOnSharedClient(client, stream);
        paused = false;
        startLoopIfNeeded();
        wanted.signalAll();
      }
    } catch (RuntimeException e) {
      unregister(execId, future);
      throw e;
    } finally {
      lock.unlock();
    }
    return future;
  }

  /** Stops watching for {@code future}. */
  public void unregister(String execId, CompletableFuture<String> future) {
    waiters.computeIfPresent(execId, (k, list) -> {
      list.remove(future);
      return list.isEmpty() ? null : list;
    });
  }

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
      wanted.signalAll();
    } finally {
      lock.unlock();
    }
    waiters.values().forEach(list -> list.forEach(f -> f.completeExceptionally(
        new IllegalStateException("the execution watcher was closed"))));
    waiters.clear();
    ReaderShutdown.stop(running, owned, "the execution watcher");
  }

  private void startLoopIfNeeded() {
    if (loop == null) {
      connection = new StreamConnection(client, clientName(stream), BLOCK_SECONDS * 1000L, stream);
      loop = Thread.ofVirtual().name("corral-dag-await").start(this::run);
    }
  }

  /** The reader's connection name: {@code corral:dag-await:<p>} (not a worker-like name dashboards list). */
  public static String clientName(String stream) {
    return "corral:dag-await:" + stream.substring(0, stream.length() - ":dag:stream".length());
  }

  private void run() {
    StreamConnection reader;
    lock.lock();
    try {
      reader = connection;
    } finally {
      lock.unlock();
    }
    long pauseMs = 100;
    while (awaitWanted()) {
      try {
        deliver(reader.read(stream, lastId, BATCH, BLOCK_SECONDS * 1000L));
        pauseMs = 100;
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException | ExecutionException e) {
        if (isClosed()) {
          break;
        }
        LOG.warn("DAG await reader: Redis error ({}); retrying in {} ms", e.toString(), pauseMs);
        reader.dropConnection();
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException ie) {
          break;
        }
        pauseMs = Math.min(pauseMs * 2, 5_000);
      }
    }
    reader.dropConnection();
  }

  /** Parks while nobody waits; false once closed. */
  private boolean awaitWanted() {
    lock.lock();
    try {
      while (!closed && waiters.isEmpty()) {
        paused = true;
        wanted.awaitUninterruptibly();
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(Map<StreamMessageId, Map<String, String>> batch) {
    for (Map.Entry<StreamMessageId, Map<String, String>> entry : batch.entrySet()) {
      lastId = entry.getKey().toString();
      Map<String, String> fields = entry.getValue();
      if (!"execution-finished".equals(fields.get("event"))) {
        continue;
      }
      List<CompletableFuture<String>> waiting = waiters.remove(fields.get("execId"));
      if (waiting != null) {
        String status = fields.get("status");
        waiting.forEach(f -> f.complete(status));
      }
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }
}
