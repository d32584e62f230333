package dev.corral.broker.scripts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import dev.corral.broker.RedisSettings;
import org.redisson.client.RedisException;

/**
 * The part of RESP2 that Corral's own connections speak ({@link DirectConnection}, {@link PipelinedConnection}):
 * commands written as arrays of bulk strings, replies decoded as the Redisson path decodes them (bulk strings as
 * {@code String}, integers as {@code Long}, arrays as lists, nil as null, an error as {@link ErrorReply}).
 *
 * <p>Not thread-safe: a {@link Reader} belongs to one reading thread, and writes to one stream must not
 * interleave.
 */
final class Resp {

  /** An error reply from Redis (the connection is still usable). */
  static final class ErrorReply extends RedisException {
    ErrorReply(String message) {
      super(message);
    }

    boolean isNoScript() {
      return getMessage().startsWith("NOSCRIPT");
    }
  }

  private Resp() {}

  /** Opens a plain TCP socket to the server of {@code settings} (no delay, keep-alive). */
  static Socket connect(RedisSettings settings, int connectTimeoutMillis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(settings.host(), settings.port()), connectTimeoutMillis);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The AUTH, SELECT and CLIENT SETNAME commands a new connection sends first. */
  static List<Object[]> handshake(RedisSettings settings, String clientName) {
    List<Object[]> commands = new ArrayList<>();
    if (settings.password() != null) {
      commands.add(settings.username() != null
          ? new Object[] {"AUTH", settings.username(), settings.password()}
          : new Object[] {"AUTH", settings.password()});
    }
    if (settings.database() != 0) {
      commands.add(new Object[] {"SELECT", String.valueOf(settings.database())});
    }
    commands.add(new Object[] {"CLIENT", "SETNAME", clientName});
    return commands;
  }

  /** Writes one command (not flushed). */
  static void write(OutputStream out, Object[] args) throws IOException {
    out.write('*');
    writeDecimal(out, args.length);
    for (Object arg : args) {
      byte[] bytes = String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
      out.write('$');
      writeDecimal(out, bytes.length);
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
  }

  private static void writeDecimal(OutputStream out, int value) throws IOException {
    out.write(Integer.toString(value).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
  }

  /** Decodes replies from one buffered stream. */
  static final class Reader {

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(32);

    Reader(InputStream in) {
      this.in = in;
    }

    /**
     * The next reply.
     *
     * @throws ErrorReply for an error reply (the stream stays aligned)
     * @throws IOException when the stream broke or the bytes are not RESP
     */
    Object read() throws IOException {
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
  }
}
