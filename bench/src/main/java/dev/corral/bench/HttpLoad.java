package dev.corral.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator: {@code concurrency} virtual threads, each with its own keep-alive
 * socket, send one request, read the whole response, and send the next, for a fixed time. A plain socket client
 * (Content-Length and chunked bodies) keeps the generator's own cost per request small, which matters when it
 * shares the machine with the server. A response with another status than expected, or an I/O failure (after
 * which the thread reconnects), counts as an error.
 */
final class HttpLoad {

  /**
   * One measured run.
   *
   * @param requests responses with the expected status
   * @param errors other responses and I/O failures
   * @param seconds measured time
   * @param sortedNanos the latency of every good response, sorted
   */
  record Run(long requests, long errors, double seconds, long[] sortedNanos) {

    double perSecond() {
      return requests / seconds;
    }

    /** The {@code p}th percentile latency in ms. */
    double percentileMs(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, i)] / 1e6;
    }
  }

  private final String host;
  private final int port;

  HttpLoad(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The server's port. */
  int port() {
    return port;
  }

  /** The bytes of a request; {@code body} may be null. */
  byte[] request(String method, String path, String token, String body) {
    StringBuilder sb = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\n");
    if (token != null) {
      sb.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      sb.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + b.length);
    System.arraycopy(b, 0, all, head.length, b.length);
    return all;
  }

  /** Runs {@code request} from {@code concurrency} connections for {@code seconds}, expecting {@code status}. */
  Run run(byte[] request, int expectedStatus, int concurrency, double seconds) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      long[][] lat = {new long[1 << 14]};
      int[] n = {0};
      Thread thread = Thread.ofVirtual().unstarted(() -> {
        Connection c = null;
        while (System.nanoTime() < end) {
          try {
            if (c == null) {
              c = new Connection(host, port);
            }
            long t0 = System.nanoTime();
            int status = c.exchange(request);
            long took = System.nanoTime() - t0;
            if (status != expectedStatus) {
              errors.incrementAndGet();
            } else {
              if (n[0] == lat[0].length) {
                lat[0] = Arrays.copyOf(lat[0], lat[0].length * 2);
              }
              lat[0][n[0]++] = took;
            }
            if (c.closed) {
              c.close();
              c = null;
            }
          } catch (IOException e) {
            errors.incrementAndGet();
            if (c != null) {
              c.close();
            }
            c = null;
          }
        }
        if (c != null) {
          c.close();
        }
        synchronized (perThread) {
          perThread.add(Arrays.copyOf(lat[0], n[0]));
        }
      });
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Run(all.length, errors.get(), elapsed, all);
  }

  /** One keep-alive connection. Not thread-safe. */
  static final class Connection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(128);
    /** The server asked to close (or sent a body without length): reconnect before the next request. */
    boolean closed;

    Connection(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    /** Sends {@code request} and reads the whole response; returns its status. */
    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String status = readLine();
      if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
        throw new IOException("bad status line: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String h = readLine(); !h.isEmpty(); h = readLine()) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim();
        String value = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
          closed = true;
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
          skip(size);
          readLine();
        }
        for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
          // trailers are ignored
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        while (in.read() >= 0) {
          // a body delimited by the end of the connection
        }
        closed = true;
      }
      return code;
    }

    private void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long s = in.skip(left);
        if (s <= 0) {
          if (in.read() < 0) {
            throw new EOFException("connection closed inside a body");
          }
          s = 1;
        }
        left -= s;
      }
    }

    private String readLine() throws IOException {
      line.setLength(0);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new EOFException("connection closed");
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
