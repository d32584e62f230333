package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.redisson.client.RedisException;

/**
 * One plain-TCP Redis connection used synchronously by the calling thread: the command is written and the
 * reply read on that thread, with no hand-off to an event loop and back. This is what makes a lone caller
 * (one producer adding jobs one by one, a worker at concurrency 1) as fast as a single-threaded Node client;
 * concurrent callers use the pipelined connections instead.
 *
 * <p>Used by platform threads only (an interrupted virtual thread would close the socket mid-call). Not
 * thread-safe: {@link ScriptRunner} lets one caller at a time use it. Speaks RESP2 and only what script
 * calls need (EVALSHA, SCRIPT LOAD, AUTH, SELECT, CLIENT SETNAME). Replies decode as the pipelined path
 * decodes them: bulk strings as {@code String}, integers as {@code Long}, arrays as lists, nil as null.
 */
final class DirectConnection implements AutoCloseable {

  /** An error reply from Redis (the connection is still usable). */
  static final class ErrorReply extends RedisException {
    ErrorReply(String message) {
      super(message);
    }

    boolean isNoScript() {
      return getMessage().startsWith("NOSCRIPT");
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(32);
  private boolean broken;
  private long lastUsed = System.nanoTime();

  private DirectConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  /** Opens and authenticates a connection; null when {@code settings} need TLS (not supported here). */
  static DirectConnection open(RedisSettings settings, String clientName, int connectTimeoutMillis,
      int timeoutMillis) throws IOException {
    if (settings.tls()) {
      return null;
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(settings.host(), settings.port()), connectTimeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      DirectConnection c = new DirectConnection(socket);
      if (settings.password() != null) {
        if (settings.username() != null) {
          c.call("AUTH", settings.username(), settings.password());
        } else {
          c.call("AUTH", settings.password());
        }
      }
      if (settings.database() != 0) {
        c.call("SELECT", String.valueOf(settings.database()));
      }
      c.call("CLIENT", "SETNAME", clientName);
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
   * @throws ErrorReply for an error reply
   * @throws BrokerException when the connection broke (the command may or may not have run)
   */
  Object call(Object... args) {
    try {
      write(args);
      out.flush();
      Object reply = read();
      lastUsed = System.nanoTime();
      return reply;
    } catch (IOException e) {
      broken = true;
      closeQuietly();
      throw new BrokerException("Redis connection failed during a script call; it may or may not have run: "
          + e.getMessage(), e);
    }
  }

  private void write(Object[] args) throws IOException {
    out.write('*');
    writeDecimal(args.length);
    for (Object arg : args) {
      byte[] bytes = String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
      out.write('$');
      writeDecimal(bytes.length);
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
  }

  private void writeDecimal(int value) throws IOException {
    out.write(Integer.toString(value).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
  }

  private Object read() throws IOException {
    int type = in.read();
    switch (type) {
      case '+':
        return readLine();
      case '-':
        throw new ErrorReply(readLine());
      case ':':
        return Long.parseLong(readLine());
      case '$': {
        int length = Integer.parseInt(readLine());
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
          throw new IOException("truncated bulk reply");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(readLine());
        if (count < 0) {
          return null;
        }
        List<Object> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          try {
            list.add(read());
          } catch (ErrorReply e) {
            list.add(e); // an error inside an array reply; never produced by our scripts
          }
        }
        return list;
      }
      case -1:
        throw new IOException("connection closed by Redis");
      default:
        throw new IOException("unexpected reply type byte " + type);
    }
  }

  private String readLine() throws IOException {
    line.reset();
    int b;
    while ((b = in.read()) != '\r') {
      if (b == -1) {
        throw new IOException("connection closed by Redis");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("malformed reply line");
    }
    return line.toString(StandardCharsets.UTF_8);
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
