package dev.corral.api;

import dev.corral.broker.redis.LocalRedisServer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Redis the server starts for itself when no {@code REDIS_URL} is given: a {@link LocalRedisServer} on
 * 127.0.0.1 with its append-only file under {@code <dataDir>}. A lock file keeps a second server from using the
 * same directory at the same time.
 *
 * <p>Thread-safe; {@link #close()} stops Redis and releases the lock.
 */
final class EmbeddedRedis implements AutoCloseable {

  private static final String LOCK_FILE = "corral.lock";

  private final LocalRedisServer server;
  private final FileChannel lockChannel;
  private final Path dataDir;

  private EmbeddedRedis(LocalRedisServer server, FileChannel lockChannel, Path dataDir) {
    this.server = server;
    this.lockChannel = lockChannel;
    this.dataDir = dataDir;
  }

  /**
   * Starts Redis on a free port with its data in {@code dataDir}.
   *
   * @throws StartupException when the directory is in use or cannot be created, or Redis does not start
   */
  static EmbeddedRedis start(Path dataDir) {
    FileChannel channel = lock(dataDir);
    try {
      return new EmbeddedRedis(LocalRedisServer.start(dataDir, 0), channel, dataDir);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new StartupException("cannot start the embedded Redis in " + dataDir + ": " + e.getMessage()
          + ". Install redis-server or set REDIS_URL to use your own Redis", e);
    }
  }

  private static FileChannel lock(Path dataDir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("another process is using it");
      }
      return channel;
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      String why = e instanceof OverlappingFileLockException ? "this process is already using it" : e.getMessage();
      throw new StartupException("cannot use data directory " + dataDir + " for the embedded Redis (" + why
          + "). Choose another with CORRAL_DATA_DIR or --data-dir=", e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  /** {@code redis://127.0.0.1:<port>}. */
  String url() {
    return server.url();
  }

  /** The directory holding the append-only file. */
  Path dataDir() {
    return dataDir;
  }

  /** The Redis binary that runs. */
  Path executable() {
    return server.executable();
  }

  @Override
  public void close() {
    server.close();
    closeQuietly(lockChannel);
  }
}
