package dev.corral.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code bullmq-cli.mjs} process (a worker, an events listener) whose stdout is read as JSON lines.
 * Lines that are not JSON arrive as {@code {"type":"raw","text":...}}. Closing kills the process.
 *
 * <p>Thread-safe for one reading thread.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final String description;
  private final BlockingQueue<JsonNode> pending = new LinkedBlockingQueue<>();
  private final List<JsonNode> all = Collections.synchronizedList(new ArrayList<>());
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  NodeProcess(Process process, String description) {
    this.process = process;
    this.description = description;
    this.stdoutPump = Thread.ofVirtual().name("node-stdout").start(() -> pump(process.getInputStream(), true));
    this.stderrPump = Thread.ofVirtual().name("node-stderr").start(() -> pump(process.getErrorStream(), false));
  }

  private void pump(InputStream in, boolean json) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!json) {
          if (stderr.length() < 64_000) {
            stderr.append(line).append('\n');
          }
          continue;
        }
        JsonNode node = parse(line);
        all.add(node);
        pending.add(node);
      }
    } catch (IOException e) {
      // the process ended or was killed
    }
  }

  private static JsonNode parse(String line) {
    JsonNode node = Json.parseLenient(line);
    if (node != null && node.isObject()) {
      return node;
    }
    ObjectNode raw = Json.MAPPER.createObjectNode();
    raw.put("type", "raw");
    raw.put("text", line);
    return raw;
  }

  /**
   * The next stdout line not yet taken.
   *
   * @throws IllegalStateException with the process's stderr when none arrives within {@code timeout}
   */
  public JsonNode nextLine(Duration timeout) {
    try {
      JsonNode node = pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (node == null) {
        throw new IllegalStateException("no output from " + description + " within " + timeout + " (alive="
            + process.isAlive() + ")\nlines so far: " + lines() + "\nstderr:\n" + stderr);
      }
      return node;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + description, e);
    }
  }

  /**
   * Takes lines until one has {@code "type": type}, and returns it.
   *
   * @throws IllegalStateException when the process reports an error or nothing matches in time
   */
  public JsonNode awaitType(String type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode node = nextLine(Duration.ofNanos(Math.max(left, 1)));
      String t = node.path("type").asText();
      if (type.equals(t)) {
        return node;
      }
      if ("error".equals(t)) {
        throw new IllegalStateException(description + " failed: " + node + "\nstderr:\n" + stderr);
      }
    }
  }

  /** Every stdout line seen so far, taken or not. */
  public List<JsonNode> lines() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to exit and for its output to be read, and returns its exit code.
   *
   * @throws IllegalStateException when it still runs after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(description + " still runs after " + timeout + "\nstderr:\n" + stderr);
      }
      // the process is gone, but its last lines may still be in the pipes: read them before returning
      stdoutPump.join(Duration.ofSeconds(10));
      stderrPump.join(Duration.ofSeconds(10));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + description, e);
    }
  }

  /** What the process wrote on stderr so far. */
  public String stderr() {
    return stderr.toString();
  }

  /** Kills the process (SIGKILL) and waits for it to end. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
