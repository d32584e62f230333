package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One plain-TCP Redis connection used synchronously by the calling thread: the command is written and the
 * reply read on that thread, with no hand-off to an event loop and back. This is what makes a lone caller
 * (one producer adding jobs one by one, a worker at concurrency 1) as fast as a single-threaded Node client;
 * concurrent callers use the pipelined connections instead.
 *
 * <p>Used by platform threads only (an interrupted virtual thread would close the socket mid-call). Not
 * thread-safe: {@link ScriptRunner} lets one caller at a time use it. Speaks {@link Resp}.
 */
final class DirectConnection implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final Resp.Reader in;
  private boolean broken;
  private long lastUsed = System.nanoTime();

  private DirectConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.in = new Resp.Reader(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
  }

  /** Opens and authenticates a connection; null when {@code settings} need TLS (not supported here). */
  static DirectConnection open(RedisSettings settings, String clientName, int connectTimeoutMillis,
      int timeoutMillis) throws IOException {
    if (settings.tls()) {
      return null;
    }
    Socket socket = Resp.connect(settings, connectTimeoutMillis);
    try {
      socket.setSoTimeout(timeoutMillis);
      DirectConnection c = new DirectConnection(socket);
      for (Object[] command : Resp.handshake(settings, clientName)) {
        c.call(command);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** False once an I/O error happened; such a connection must be replaced. */
  boolean isUsable() {
    return !broken && !socket.isClosed();
  }

  /**
   * True when the connection answers a PING, checked only when it has been idle for at least
   * {@code idleNanos}. A blocking socket does not notice that Redis closed it (a restart) until it reads,
   * and a script sent on such a socket could not be told apart from one that ran before Redis died.
   */
  boolean isAliveAfterIdle(long idleNanos) {
    if (System.nanoTime() - lastUsed < idleNanos) {
      return true;
    }
    try {
      call("PING");
      return true;
    } catch (RuntimeException e) {
      broken = true;
      closeQuietly();
      return false;
    }
  }

  /**
   * Sends one command and reads its reply.
   *
   * @throws Resp.ErrorReply for an error reply
   * @throws BrokerException when the connection broke (the command may or may not have run)
   */
  Object call(Object... args) {
    send(args);
    flush();
    return read();
  }

  /** Buffers one command; {@link #flush()} sends what is buffered. */
  void send(Object... args) {
    try {
      Resp.write(out, args);
    } catch (IOException e) {
      throw broke(e);
    }
  }

  /** Sends the buffered commands. */
  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw broke(e);
    }
  }

  /**
   * Reads the next reply (replies come in the order the commands were sent).
   *
   * @throws Resp.ErrorReply for an error reply
   * @throws BrokerException when the connection broke
   */
  Object read() {
    try {
      Object reply = in.read();
      lastUsed = System.nanoTime();
      return reply;
    } catch (IOException e) {
      throw broke(e);
    }
  }

  private BrokerException broke(IOException e) {
    broken = true;
    closeQuietly();
    return new BrokerException("Redis connection failed during a script call; it may or may not have run: "
        + e.getMessage(), e);
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
