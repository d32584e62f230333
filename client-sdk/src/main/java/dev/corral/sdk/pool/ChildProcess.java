package dev.corral.sdk.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child process of the pool: its stdin (job lines, written on a virtual thread so a child that stops
 * reading cannot block the job's thread), its stdout (read and decoded on a virtual thread into a queue of
 * {@link ChildOutput}s) and its stderr (drained on a virtual thread to the log, the last lines kept for
 * failure reasons). Thread-safe.
 */
final class ChildProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final int STDERR_TAIL_LINES = 10;
  private static final int STDERR_TAIL_CHARS = 1_000;
  private static final int STDERR_SUFFIX_CHARS = 500;

  private final String processId;
  private final Process process;
  private final Writer stdin;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final LinkedBlockingQueue<ChildOutput> outputs = new LinkedBlockingQueue<>();
  private final ReentrantLock tailLock = new ReentrantLock();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private ChildProcess(String processId, Process process, int maxLineChars) {
    this.processId = processId;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.stdoutReader = Thread.ofVirtual().name("corral-pool-out-" + process.pid())
        .start(() -> readStdout(maxLineChars));
    this.stderrReader = Thread.ofVirtual().name("corral-pool-err-" + process.pid()).start(this::readStderr);
  }

  /**
   * Starts {@code options.command()} and waits for its {@code ready} line.
   *
   * @throws PoolJobException ({@link PoolJobException.Reason#START_FAILED}) when the program cannot be started,
   *     exits, writes anything else, or stays silent for {@code startTimeout}; the child is killed
   */
  static ChildProcess start(String processId, ProcessPoolOptions options) throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(options.command());
    builder.environment().putAll(options.environment());
    builder.environment().put("CORRAL_POOL_PROCESS_ID", processId);
    if (options.workingDirectory() != null) {
      builder.directory(options.workingDirectory().toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PoolJobException(PoolJobException.Reason.START_FAILED,
          "could not start pool process " + options.command() + ": " + e.getMessage());
    }
    ChildProcess child = new ChildProcess(processId, process, options.maxLineChars());
    child.awaitReady(options.startTimeout());
    return child;
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    ChildOutput first;
    try {
      first = outputs.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill();
      throw e;
    }
    String problem;
    if (first instanceof ChildOutput.Ready ready) {
      if (ready.protocol() == PoolProtocol.VERSION) {
        return;
      }
      problem = "speaks protocol " + ready.protocol() + ", this pool speaks " + PoolProtocol.VERSION;
    } else if (first == null) {
      problem = "did not write its ready line within startTimeout (" + timeout.toMillis() + " ms)";
    } else if (first instanceof ChildOutput.Closed) {
      String exit = describeExit(1_000);
      problem = (exit != null ? exit : "closed its stdout") + " before it was ready";
    } else if (first instanceof ChildOutput.Invalid invalid) {
      problem = "wrote " + invalid.problem() + " instead of its ready line";
    } else {
      problem = "wrote " + first.getClass().getSimpleName().toLowerCase() + " before its ready line";
    }
    kill();
    throw new PoolJobException(PoolJobException.Reason.START_FAILED,
        "pool process pid " + pid() + " " + problem + stderrSuffix());
  }

  /** The operating-system pid. */
  long pid() {
    return process.pid();
  }

  /** The pool's id of the process. */
  String processId() {
    return processId;
  }

  /** Resident memory of the child and its descendants in MiB (0 when unknown). */
  long residentMb(ProcMemory memory) {
    long kb = memory.residentKb(pid());
    kb += process.descendants().mapToLong(d -> memory.residentKb(d.pid())).sum();
    return kb / 1024;
  }

  /** Completes when the process has exited. */
  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Writes {@code line} and a newline to the child's stdin on a virtual thread; a failure arrives as
   * {@link ChildOutput.SendFailed}.
   */
  void send(String line) {
    Thread.ofVirtual().name("corral-pool-in-" + pid()).start(() -> {
      writeLock.lock();
      try {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
      } catch (IOException e) {
        outputs.add(new ChildOutput.SendFailed(e.getMessage()));
      } finally {
        writeLock.unlock();
      }
    });
  }

  /** The next output, waiting at most {@code timeoutMs}; null when none arrived. */
  ChildOutput poll(long timeoutMs) throws InterruptedException {
    return outputs.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Wakes a thread waiting in {@link #poll(long)}. */
  void wake() {
    outputs.add(new ChildOutput.Wake());
  }

  /** Drops queued wake-ups; true when real output (from the child) is queued, which an idle child must not have. */
  boolean hasPendingOutput() {
    outputs.removeIf(o -> o instanceof ChildOutput.Wake);
    return !outputs.isEmpty();
  }

  /** Kills the child and its descendants at once (SIGKILL). */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Closes the child's stdin (its signal to exit), waits up to {@code grace}, then kills it. Blocks. */
  void stop(Duration grace) {
    try {
      writeLock.lock();
      try {
        stdin.close();
      } finally {
        writeLock.unlock();
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("pool process pid {} did not exit within {} ms of its stdin closing; killing it", pid(),
            grace.toMillis());
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How the child exited, waiting up to {@code waitMs} for it: {@code "exited with code 3"}, or for a signal
   * {@code "exited with code 137 (signal 9)"} (the JDK reports 128 + signal); null when still running.
   */
  String describeExit(long waitMs) throws InterruptedException {
    if (!process.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
      return null;
    }
    int code = process.exitValue();
    return code > 128 && code < 128 + 65 ? "exited with code " + code + " (signal " + (code - 128) + ")"
        : "exited with code " + code;
  }

  /** {@code "; stderr: <last lines>"}, or empty when the child wrote nothing to stderr. */
  String stderrSuffix() throws InterruptedException {
    stderrReader.join(Duration.ofMillis(200)); // the last lines of a child that just exited
    tailLock.lock();
    try {
      if (stderrTail.isEmpty()) {
        return "";
      }
      String joined = String.join(" | ", stderrTail);
      return "; stderr: " + (joined.length() <= STDERR_SUFFIX_CHARS ? joined
          : "..." + joined.substring(joined.length() - STDERR_SUFFIX_CHARS));
    } finally {
      tailLock.unlock();
    }
  }

  private void readStdout(int maxLineChars) {
    LineSplitter splitter = new LineSplitter(maxLineChars, new LineSplitter.Sink() {
      @Override
      public void line(String line) {
        ChildOutput decoded = PoolProtocol.decode(line);
        if (decoded != null) {
          outputs.add(decoded);
        }
      }

      @Override
      public void tooLong(String head) {
        outputs.add(new ChildOutput.Invalid("a line longer than maxLineChars (" + maxLineChars + " characters): "
            + PoolProtocol.quote(head)));
      }
    });
    String detail = "end of stdout";
    try {
      pump(process.getInputStream(), splitter);
    } catch (IOException e) {
      detail = "stdout could not be read: " + e.getMessage();
    }
    outputs.add(new ChildOutput.Closed(detail));
  }

  private void readStderr() {
    LineSplitter splitter = new LineSplitter(STDERR_TAIL_CHARS, new LineSplitter.Sink() {
      @Override
      public void line(String line) {
        stderrLine(line);
      }

      @Override
      public void tooLong(String head) {
        stderrLine(head + " [cut]");
      }
    });
    try {
      pump(process.getErrorStream(), splitter);
    } catch (IOException e) {
      // the process is gone
    }
  }

  private void stderrLine(String line) {
    LOG.info("[pool process {} pid {}] {}", processId, pid(), line);
    tailLock.lock();
    try {
      stderrTail.addLast(line);
      while (stderrTail.size() > STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
    } finally {
      tailLock.unlock();
    }
  }

  private static void pump(InputStream in, LineSplitter splitter) throws IOException {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      int n;
      while ((n = reader.read(buffer)) != -1) {
        splitter.feed(buffer, n);
      }
      splitter.end();
    }
  }
}
