package dev.corral.sdk.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.support.Checks;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.StuckReason;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.ProcessReporting;
import dev.corral.sdk.Processor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link Processor} that runs each job in a child process of a pool (any program speaking the JSON-lines
 * protocol of docs/process-pool.md), one job per child at a time:
 *
 * <pre>{@code
 * PoolProcessor pool = new PoolProcessor(ProcessPoolOptions.builder("node", "worker.js").maxProcesses(4).build());
 * Worker<JsonNode> worker = Worker.create(client, "images", pool,
 *     WorkerOptions.builder().concurrency(pool.maxProcesses()).build());
 * ...
 * worker.close();
 * pool.close();
 * }</pre>
 *
 * <p>The child's progress and log lines go to the job, its result is the job's return value, its error fails
 * the job ({@code unrecoverable} skipping retries). A job that times out, a child that crashes, breaks the
 * protocol or is recycled past its deadline fails its attempt with a {@link PoolJobException} naming the
 * process and the cause (retries apply) and the child is replaced. A cancelled attempt kills its child.
 * Creating the processor starts {@code minProcesses} children; {@link #close()} stops them all. Thread-safe.
 */
public final class PoolProcessor implements Processor<JsonNode>, ProcessReporting, AutoCloseable {

  private final ProcessPoolOptions options;
  private final ProcessPool pool;

  /** A processor whose pool runs with {@code options}; starts the minimum of processes. */
  public PoolProcessor(ProcessPoolOptions options) {
    this(options, Clock.systemUTC());
  }

  PoolProcessor(ProcessPoolOptions options, Clock clock) {
    this.options = Checks.notNull(options, "options");
    this.pool = new ProcessPool(options, clock, ProcMemory.system());
  }

  /** Runs the job in a pool process; see the class description for the outcomes. */
  @Override
  public JsonNode process(JobContext context) throws Exception {
    String line = PoolProtocol.encode(jobLine(context)); // reads a DAG node's dependencies before taking a child
    PooledProcess process = pool.acquire(context.queueName(), context.job().id(), executionId(context.job()),
        context::isCancelled);
    JobExchange exchange = new JobExchange(pool.policy(), options, process, context);
    try {
      return exchange.run(line);
    } catch (PoolJobException e) {
      if (e.reason() == PoolJobException.Reason.TIMEOUT) {
        context.reportStuck(StuckReason.TIMEOUT, e.getMessage()); // stuck history (worker registry)
      }
      throw e;
    } finally {
      exchange.killUnlessAnswered();
      pool.release(process, exchange.reusable());
    }
  }

  private static PoolProtocol.JobLine jobLine(JobContext ctx) {
    Job job = ctx.job();
    String executionId = executionId(job);
    if (executionId == null) {
      return new PoolProtocol.JobLine(job, ctx.queueName(), null, null, Map.of(), Map.of());
    }
    return new PoolProtocol.JobLine(job, ctx.queueName(), executionId, job.raw().get("dagNode"),
        ctx.dependencyResults(), ctx.dependencyFailures());
  }

  /** The execution id of a DAG node (its {@code dagKey} is {@code <prefix>:dag:<executionId>}), else null. */
  static String executionId(Job job) {
    return DagKeys.executionIdOf(job.raw().get("dagKey"));
  }

  @Override
  public List<ProcessInfo> processes() {
    return pool.processes();
  }

  @Override
  public int minProcesses() {
    return options.minProcesses();
  }

  @Override
  public int maxProcesses() {
    return options.maxProcesses();
  }

  /**
   * {@inheritDoc}
   *
   * <p>A null {@code deadline} means the pool's {@code recycleDeadline}. A process still starting is not
   * listed by {@link #processes()} and cannot be recycled yet (false).
   */
  @Override
  public boolean recycle(long pid, Duration deadline, String reason) {
    Duration d = deadline == null ? options.recycleDeadline() : deadline;
    Checks.isTrue(!d.isNegative(), "deadline cannot be negative, was %s", d);
    return pool.recycle(pid, d, reason == null || reason.isBlank() ? "requested" : reason);
  }

  @Override
  public long recycleIdle(String reason) {
    return pool.recycleIdle(reason == null || reason.isBlank() ? "requested" : reason);
  }

  /** Stops the pool: busy children are killed (their jobs fail), idle ones stopped. Close the worker first. */
  @Override
  public void close() {
    pool.close();
  }
}
