package dev.corral.sdk.pool;

import dev.corral.broker.support.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of a process pool ({@link PoolProcessor}). Build with {@link #builder(String...)}; validated in
 * {@link Builder#build()} with messages naming the field. Immutable; thread-safe.
 *
 * @param command the program and its arguments, e.g. {@code ["node", "worker.js"]}
 * @param environment variables added to the inherited environment of every child
 * @param workingDirectory the children's working directory, or null for the JVM's
 * @param minProcesses processes kept running even when idle (0)
 * @param maxProcesses most processes at once (the available processors); set the worker's concurrency to it
 * @param maxJobsPerProcess jobs after which a process is replaced, 0 for no limit
 * @param maxMemoryMb resident memory (MiB, child plus its descendants) above which a process is replaced once
 *     its job ends, 0 for no limit
 * @param jobTimeout longest a job may run in a child before the child is killed and the job fails, zero for
 *     no limit
 * @param idleTimeout how long a process above {@code minProcesses} may stay idle before it is stopped (60 s)
 * @param recycleDeadline default deadline of a recycle that gives none (30 s)
 * @param startTimeout longest wait for a new child's {@code ready} line (10 s)
 * @param stopGrace how long a child stopped gracefully (stdin closed) may take to exit before it is killed (5 s)
 * @param maintenanceInterval how often idle processes are shrunk, memory sampled and the minimum restored (1 s)
 * @param maxLineChars longest line accepted from a child (16 Mi characters); a longer one is a protocol error
 */
public record ProcessPoolOptions(
    List<String> command,
    Map<String, String> environment,
    Path workingDirectory,
    int minProcesses,
    int maxProcesses,
    long maxJobsPerProcess,
    long maxMemoryMb,
    Duration jobTimeout,
    Duration idleTimeout,
    Duration recycleDeadline,
    Duration startTimeout,
    Duration stopGrace,
    Duration maintenanceInterval,
    int maxLineChars) {

  /** Most processes a pool accepts. */
  public static final int MAX_PROCESSES = 1024;

  /** Copies the collections so the record stays immutable. */
  public ProcessPoolOptions {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /** A builder for a pool running {@code command} (program, then arguments). */
  public static Builder builder(String... command) {
    return new Builder().command(List.of(command));
  }

  /** A builder for a pool running {@code command} (program, then arguments). */
  public static Builder builder(List<String> command) {
    return new Builder().command(command);
  }

  /** Builder of {@link ProcessPoolOptions}. Not thread-safe. */
  public static final class Builder {
    private List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path workingDirectory;
    private int minProcesses;
    private int maxProcesses = Math.max(1, Runtime.getRuntime().availableProcessors());
    private long maxJobsPerProcess;
    private long maxMemoryMb;
    private Duration jobTimeout = Duration.ZERO;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration recycleDeadline = Duration.ofSeconds(30);
    private Duration startTimeout = Duration.ofSeconds(10);
    private Duration stopGrace = Duration.ofSeconds(5);
    private Duration maintenanceInterval = Duration.ofSeconds(1);
    private int maxLineChars = 16 * 1024 * 1024;

    private Builder() {}

    /** The program and its arguments. */
    public Builder command(List<String> value) {
      this.command = value;
      return this;
    }

    /** Adds {@code name=value} to the children's environment. */
    public Builder environment(String name, String value) {
      Checks.notEmpty(name, "environment name");
      Checks.notNull(value, "environment[" + name + "]");
      environment.put(name, value);
      return this;
    }

    /** The children's working directory. */
    public Builder workingDirectory(Path value) {
      this.workingDirectory = value;
      return this;
    }

    /** Processes kept running even when idle. */
    public Builder minProcesses(int value) {
      this.minProcesses = value;
      return this;
    }

    /** Most processes at once. */
    public Builder maxProcesses(int value) {
      this.maxProcesses = value;
      return this;
    }

    /** Jobs after which a process is replaced (0: no limit). */
    public Builder maxJobsPerProcess(long value) {
      this.maxJobsPerProcess = value;
      return this;
    }

    /** Resident memory in MiB above which a process is replaced after its job (0: no limit). */
    public Builder maxMemoryMb(long value) {
      this.maxMemoryMb = value;
      return this;
    }

    /** Longest a job may run in a child (zero: no limit). */
    public Builder jobTimeout(Duration value) {
      this.jobTimeout = value;
      return this;
    }

    /** How long a process above the minimum may stay idle. */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    /** Default deadline of a recycle that gives none. */
    public Builder recycleDeadline(Duration value) {
      this.recycleDeadline = value;
      return this;
    }

    /** Longest wait for a new child's ready line. */
    public Builder startTimeout(Duration value) {
      this.startTimeout = value;
      return this;
    }

    /** How long a child whose stdin was closed may take to exit. */
    public Builder stopGrace(Duration value) {
      this.stopGrace = value;
      return this;
    }

    /** How often the pool's maintenance runs. */
    public Builder maintenanceInterval(Duration value) {
      this.maintenanceInterval = value;
      return this;
    }

    /** Longest line accepted from a child, in characters. */
    public Builder maxLineChars(int value) {
      this.maxLineChars = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public ProcessPoolOptions build() {
      Checks.notNull(command, "command");
      Checks.isTrue(!command.isEmpty(), "command cannot be empty");
      for (int i = 0; i < command.size(); i++) {
        Checks.notNull(command.get(i), "command[" + i + "]");
      }
      Checks.isTrue(!command.get(0).isBlank(), "command[0] (the program) cannot be blank");
      Checks.inRange(maxProcesses, 1, MAX_PROCESSES, "maxProcesses");
      Checks.inRange(minProcesses, 0, maxProcesses, "minProcesses");
      Checks.atLeast(maxJobsPerProcess, 0, "maxJobsPerProcess");
      Checks.atLeast(maxMemoryMb, 0, "maxMemoryMb");
      notNegative(jobTimeout, "jobTimeout");
      positive(idleTimeout, "idleTimeout");
      notNegative(recycleDeadline, "recycleDeadline");
      positive(startTimeout, "startTimeout");
      notNegative(stopGrace, "stopGrace");
      positive(maintenanceInterval, "maintenanceInterval");
      Checks.atLeast(maxLineChars, 1024, "maxLineChars");
      return new ProcessPoolOptions(command, environment, workingDirectory, minProcesses, maxProcesses,
          maxJobsPerProcess, maxMemoryMb, jobTimeout, idleTimeout, recycleDeadline, startTimeout, stopGrace,
          maintenanceInterval, maxLineChars);
    }

    private static void notNegative(Duration value, String field) {
      Checks.notNull(value, field);
      Checks.isTrue(!value.isNegative(), "%s cannot be negative, was %s", field, value);
    }

    private static void positive(Duration value, String field) {
      Checks.notNull(value, field);
      Checks.isTrue(value.toMillis() > 0, "%s must be at least 1 ms, was %s", field, value);
    }
  }
}
