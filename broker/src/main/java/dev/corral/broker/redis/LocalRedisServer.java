package dev.corral.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Redis server process on 127.0.0.1 that this JVM starts and stops: {@code redis-server} from the PATH,
 * or else the Redis 7.0.15 binary shipped in the {@code org.signal:embedded-redis} jar (when it is on the
 * classpath). Used by the API server's embedded default and by the tests.
 *
 * <p>Thread-safe; {@link #close()} stops the process.
 */
public final class LocalRedisServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;
  private final Path executable;
  private final Path logFile;

  private LocalRedisServer(Process process, int port, Path executable, Path logFile) {
    this.process = process;
    this.port = port;
    this.executable = executable;
    this.logFile = logFile;
  }

  /**
   * Starts a server.
   *
   * @param dataDir where to keep the append-only file, or {@code null} for a throw-away server without
   *     persistence
   * @param port the port, or 0 for a free one
   * @throws IOException when no Redis binary is available or the server does not answer PING in time
   */
  public static LocalRedisServer start(Path dataDir, int port) throws IOException {
    Path exe = findExecutable().orElseThrow(() -> new IOException(
        "no Redis available: install redis-server, or put org.signal:embedded-redis on the classpath"));
    int p = port == 0 ? freePort() : port;
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("corral-redis-");
    Files.createDirectories(dir);
    // one log per data dir (appended across restarts), so a persistent data dir does not collect a file a start
    Path log = dir.resolve(dataDir != null ? "redis.log" : "redis-" + p + ".log");
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--port", String.valueOf(p), "--bind", "127.0.0.1",
        "--daemonize", "no", "--loglevel", "warning", "--dir", dir.toString(), "--save", ""));
    if (dataDir != null) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfilename", "corral.aof"));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    Process process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    LocalRedisServer server = new LocalRedisServer(process, p, exe, log);
    try {
      server.awaitPing();
    } catch (IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code redis-server} from the PATH, else the embedded binary extracted to a temp file. */
  public static Optional<Path> findExecutable() throws IOException {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return extractEmbedded();
  }

  private static Optional<Path> extractEmbedded() throws IOException {
    String resource = embeddedResourceName();
    if (resource == null) {
      return Optional.empty();
    }
    try (InputStream in = LocalRedisServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "corral-redis-bin");
      Files.createDirectories(dir);
      Path target = dir.resolve(resource);
      if (!Files.isExecutable(target)) {
        Path tmp = Files.createTempFile(dir, resource, ".part");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return Optional.of(target);
    }
  }

  private static String embeddedResourceName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osPart = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : null;
    String archPart = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> null;
    };
    return osPart == null || archPart == null ? null : "redis-server-7.0.15-" + osPart + "-" + archPart;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitPing() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + "; see " + logFile);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[7];
        int n = socket.getInputStream().read(buf);
        if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server", e);
      }
    }
    throw new IOException("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT);
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** The binary that runs. */
  public Path executable() {
    return executable;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
