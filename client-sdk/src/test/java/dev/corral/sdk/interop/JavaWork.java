package dev.corral.sdk.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Json;
import dev.corral.sdk.DelayJobException;
import dev.corral.sdk.JobContext;
import dev.corral.sdk.UnrecoverableJobException;
import dev.corral.sdk.WaitingChildrenException;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerListener;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Corral {@link Worker} that behaves as {@code bullmq-cli.mjs work} does (see {@code interop/node/lib/work.mjs}),
 * so one scenario (job data carrying {@code behaviour}) runs unchanged under a Node and a Java worker:
 * {@code progress}, {@code log}, {@code sleepMs}, {@code awaitKey}, {@code children}, {@code delayMs} with
 * {@code delayWhileStartedBelow}, {@code unrecoverable}, {@code fail} with
 * {@code failUntilAttempt}, {@code returnValue}, {@code returnChildren} (a flow parent returns
 * {@code {values, ignored}} from its children). Records the order in which jobs started.
 *
 * <p>Thread-safe.
 */
final class JavaWork implements AutoCloseable {

  private final BrokerClient client;
  private final String queue;
  private final Worker<Object> worker;
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final AtomicInteger finished = new AtomicInteger();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final CountDownLatch done;

  /**
   * Starts a worker on {@code queue} that stops counting after {@code count} finished attempts (completed, or
   * failed whether retried or not, as the Node CLI counts them).
   */
  JavaWork(BrokerClient client, String queue, JsonNode defaults, int count, WorkerOptions.Builder options) {
    this.client = client;
    this.queue = queue;
    this.done = new CountDownLatch(count);
    this.worker = Worker.create(client, queue, ctx -> handle(ctx, defaults), options.autorun(false).build());
    worker.addListener(new WorkerListener() {
      @Override
      public void completed(Job job, Object result) {
        finished.incrementAndGet();
        done.countDown();
      }

      @Override
      public void failed(Job job, Throwable error, boolean willRetry) {
        finished.incrementAndGet();
        done.countDown();
      }

      @Override
      public void error(Throwable error) {
        errors.add(error.toString());
      }
    });
    worker.start(); // after the listener: an attempt that ends at once is still counted
  }

  /** A worker with BullMQ's default options and the name {@code name}. */
  JavaWork(BrokerClient client, String queue, JsonNode defaults, int count, String name) {
    this(client, queue, defaults, count, WorkerOptions.builder().name(name));
  }

  private Object handle(JobContext ctx, JsonNode defaults) throws InterruptedException {
    Job job = ctx.job();
    ObjectNode b = defaults == null || defaults.isNull() ? Json.MAPPER.createObjectNode() : defaults.deepCopy();
    JsonNode own = job.data() == null ? null : job.data().get("behaviour");
    if (own != null && own.isObject()) {
      b.setAll((ObjectNode) own);
    }
    started.add(job.id());
    if (b.has("progress")) {
      ctx.updateProgress(b.get("progress"));
    }
    if (b.has("log")) {
      ctx.log(b.get("log").asText());
    }
    if (b.has("sleepMs")) {
      Thread.sleep(b.get("sleepMs").asLong());
    }
    if (b.has("awaitKey")) {
      awaitKey(new QueueKeys(b.path("prefix").asText("bull"), queue).key(b.get("awaitKey").asText()));
    }
    if (b.has("children") && job.attemptsStarted() < 2) {
      QueueKeys keys = new QueueKeys(b.path("prefix").asText("bull"), queue);
      Queue q = client.queue(keys.queueName(), QueueOptions.defaults().withPrefix(keys.prefix()));
      for (JsonNode child : b.get("children")) {
        q.add(child.get("name").asText(), child.has("data") ? child.get("data") : Json.MAPPER.createObjectNode(),
            JobOptions.builder().parent(new JobParent(keys, job.id())).build());
      }
      if (ctx.moveToWaitingChildren()) {
        throw new WaitingChildrenException();
      }
    }
    if (b.has("delayMs") && job.attemptsStarted() < b.path("delayWhileStartedBelow").asInt(2)) {
      throw new DelayJobException(b.get("delayMs").asLong());
    }
    if (b.has("unrecoverable")) {
      throw new UnrecoverableJobException(b.get("unrecoverable").asText());
    }
    if (b.has("fail") && (!b.has("failUntilAttempt") || job.attemptsMade() < b.get("failUntilAttempt").asInt())) {
      throw new IllegalStateException(b.get("fail").asText());
    }
    if (b.path("returnChildren").asBoolean(false)) {
      ObjectNode children = Json.MAPPER.createObjectNode();
      children.set("values", Json.MAPPER.valueToTree(ctx.childrenValues()));
      children.set("ignored", Json.MAPPER.valueToTree(ctx.ignoredChildrenFailures()));
      return children;
    }
    JsonNode result = b.get("returnValue");
    return result == null || result.isNull() ? null : result;
  }

  /** Waits (at most 30 s) until {@code key} exists, as {@code work.mjs} does for {@code awaitKey}. */
  private void awaitKey(String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.redisson().getKeys().countExists(key) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("key " + key + " did not appear");
      }
      Thread.sleep(10);
    }
  }

  /** Waits until {@code count} attempts finished, then closes the worker gracefully. */
  List<String> awaitDone(Duration timeout) {
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the Java worker finished " + finished.get() + " attempts in " + timeout
            + "; started: " + started + "; worker errors: " + errors);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    close();
    return List.copyOf(started);
  }

  /** Job ids in the order their attempts started. */
  List<String> started() {
    return List.copyOf(started);
  }

  /** The worker errors reported so far. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  /** The worker itself. */
  Worker<Object> worker() {
    return worker;
  }

  @Override
  public void close() {
    worker.close(Duration.ofSeconds(10));
  }
}
