package dev.corral.api.stream;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client's bounded buffer between the shared readers (which {@link #offer} without ever blocking) and the
 * client's writer thread (which {@link #next}s). A full buffer ends the subscription: the client is too slow, and
 * its writer sends a final {@code dropped} event instead of holding up the readers or the other clients.
 *
 * <p>Thread-safe: any number of offering threads, one taking thread.
 */
public final class Subscriber {

  /** Why a subscription ended. */
  public enum End {
    /** The buffer was full: the client did not keep up. */
    SLOW_CONSUMER,
    /** The server is stopping. */
    SERVER_STOPPING
  }

  private final StreamFilter filter;
  private final int capacity;
  private final BlockingQueue<StreamEvent> buffer;
  private volatile End end;

  /** A subscriber for {@code filter} buffering at most {@code capacity} events. */
  public Subscriber(StreamFilter filter, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.filter = filter;
    this.capacity = capacity;
    this.buffer = new ArrayBlockingQueue<>(capacity);
  }

  /** What the client asked for. */
  public StreamFilter filter() {
    return filter;
  }

  /** The buffer's size. */
  public int capacity() {
    return capacity;
  }

  /** Buffers {@code e} if the filter wants it; never blocks. A full buffer ends the subscription. */
  public void offer(StreamEvent e) {
    if (end != null || !filter.matches(e)) {
      return;
    }
    if (!buffer.offer(e)) {
      end(End.SLOW_CONSUMER);
    }
  }

  /** Ends the subscription (the first reason wins); the writer sees it at its next {@link #next}. */
  public void end(End why) {
    if (end == null) {
      end = why;
      buffer.clear();
      buffer.offer(new StreamEvent("", null, "", null, null, null, "")); // wakes the writer
    }
  }

  /** Why the subscription ended, or null while it runs. */
  public End ended() {
    return end;
  }

  /**
   * The next event, waiting up to {@code timeoutMs}; null on timeout or once the subscription ended (see
   * {@link #ended()}).
   */
  public StreamEvent next(long timeoutMs) throws InterruptedException {
    if (end != null) {
      return null;
    }
    StreamEvent e = buffer.poll(timeoutMs, TimeUnit.MILLISECONDS);
    return end != null ? null : e;
  }
}
