package dev.corral.api.stream;

import dev.corral.api.errors.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The server's shared readers and their subscribers: one reader per source (the heartbeats channel, the DAG
 * stream, each queue's events stream), opened when the first subscriber needs it and closed when the last one
 * leaves, fanning every event out to its subscribers' bounded buffers ({@link Subscriber#offer} never blocks, so a
 * slow client never holds up a reader or another client). At most {@code maxStreams} subscribers at once; more
 * get 503.
 *
 * <p>Thread-safe.
 */
public final class StreamHub implements AutoCloseable {

  /** The source key of worker heartbeats. */
  public static final String HEARTBEATS = "heartbeat";

  /** The source key of DAG execution events. */
  public static final String EXECUTIONS = "execution";

  /** An open reader; closing it stops reading. */
  public interface Source {
    /** Stops reading. */
    void close();
  }

  /** Opens the reader of a source key, delivering its events to {@code sink}. */
  @FunctionalInterface
  public interface Sources {
    /** Opens {@code key}'s reader; its events go to {@code sink} from the reader's thread. */
    Source open(String key, Consumer<StreamEvent> sink);
  }

  /**
   * What the hub holds now.
   *
   * @param subscribers open streams
   * @param maxStreams the limit
   * @param sources the source keys being read, sorted
   */
  public record Stats(int subscribers, int maxStreams, List<String> sources) {}

  private final Sources sources;
  private final int maxStreams;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Subscriber> subscribers = new HashSet<>(); // guarded by lock
  private final Map<String, Source> open = new HashMap<>(); // guarded by lock
  private final Map<String, Set<Subscriber>> bySource = new ConcurrentHashMap<>();
  private boolean closed; // guarded by lock

  /** A hub opening readers through {@code sources}, with at most {@code maxStreams} subscribers. */
  public StreamHub(Sources sources, int maxStreams) {
    this.sources = sources;
    this.maxStreams = maxStreams;
  }

  /** The source key of queue {@code queue}'s events. */
  public static String queueSource(String queue) {
    return "queue:" + queue;
  }

  /**
   * Adds a subscriber for {@code filter}, opening the readers it needs that are not open yet. Once this returns,
   * every event its readers read is offered to it.
   *
   * @throws ApiException 503 {@code too_many_streams} at the limit, or when the server is stopping
   */
  public Subscriber subscribe(StreamFilter filter, int capacity) {
    Subscriber sub = new Subscriber(filter, capacity);
    lock.lock();
    try {
      if (closed) {
        throw ApiException.unavailable("too_many_streams", "the server is stopping");
      }
      if (subscribers.size() >= maxStreams) {
        throw ApiException.unavailable("too_many_streams", "this server has " + maxStreams + " open streams, its "
            + "limit (CORRAL_MAX_STREAMS); try again later or on another instance");
      }
      subscribers.add(sub);
      try {
        for (String key : filter.sources()) {
          if (!open.containsKey(key)) {
            open.put(key, sources.open(key, e -> deliver(key, e)));
          }
          bySource.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(sub);
        }
      } catch (RuntimeException e) {
        remove(sub);
        throw e;
      }
      return sub;
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code sub}, closing every reader nobody needs any more. Idempotent. */
  public void unsubscribe(Subscriber sub) {
    lock.lock();
    try {
      remove(sub);
    } finally {
      lock.unlock();
    }
  }

  private void remove(Subscriber sub) {
    subscribers.remove(sub);
    for (String key : sub.filter().sources()) {
      Set<Subscriber> set = bySource.get(key);
      if (set != null) {
        set.remove(sub);
        if (set.isEmpty()) {
          bySource.remove(key);
          Source source = open.remove(key);
          if (source != null) {
            source.close();
          }
        }
      }
    }
  }

  private void deliver(String key, StreamEvent e) {
    Set<Subscriber> set = bySource.get(key);
    if (set != null) {
      set.forEach(s -> s.offer(e));
    }
  }

  /** Open streams and readers. */
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(subscribers.size(), maxStreams, open.keySet().stream().sorted().toList());
    } finally {
      lock.unlock();
    }
  }

  /** Ends every subscription ({@link Subscriber.End#SERVER_STOPPING}) and closes every reader. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Subscriber s : new ArrayList<>(subscribers)) {
        s.end(Subscriber.End.SERVER_STOPPING);
        remove(s);
      }
      open.values().forEach(Source::close);
      open.clear();
    } finally {
      lock.unlock();
    }
  }
}
