package dev.corral.broker.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a stream reader: a thread looping on a {@link StreamConnection}'s blocking read. The one way every reader
 * (queue events, DAG events, the execution watcher) shuts down, after it has marked itself closed.
 */
public final class ReaderShutdown {

  /** How long a reader's thread is waited for (a listener it is running may be slow). */
  public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(ReaderShutdown.class);

  private ReaderShutdown() {}

  /**
   * Fails the pending read at once (interrupting {@code connection}), interrupts {@code reader} and waits for it
   * up to {@link #JOIN_TIMEOUT} (not when called from the reader itself, e.g. by a listener), then closes the
   * connection. Either may be null (a reader that never started).
   *
   * @param name what to call the reader in the warning logged when it does not stop in time
   */
  public static void stop(Thread reader, StreamConnection connection, String name) {
    if (connection != null) {
      connection.interrupt();
    }
    if (reader != null) {
      reader.interrupt();
      if (reader != Thread.currentThread()) {
        try {
          if (!reader.join(JOIN_TIMEOUT)) {
            LOG.warn("{}: the reader did not stop within {} s (a slow listener?)", name, JOIN_TIMEOUT.toSeconds());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (connection != null) {
      connection.close();
    }
  }
}
