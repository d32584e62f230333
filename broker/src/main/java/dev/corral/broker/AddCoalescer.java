package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Group commit for single adds: adds that arrive while another add of the same queue is on its way to Redis
 * are sent together in one {@code addJobs} call (one script, one round trip), so many producer threads cost
 * Redis far fewer script calls. A lone producer's add is sent at once, so it waits for no one.
 *
 * <p>Each add stays atomic, and the jobs of one batch are stored atomically together in arrival order. If a
 * batch is refused by the script's validation pass (a missing parent), nothing of it was written and each of
 * its adds is retried on its own, so only the faulty one fails.
 *
 * <p>Thread-safe. At most {@link #MAX_IN_FLIGHT} batches of one queue are in flight at once.
 */
final class AddCoalescer {

  static final int MAX_IN_FLIGHT = 2;
  static final int MAX_JOBS_PER_BATCH = 256;

  private record Pending(JobRequest request, Object[] args, CompletableFuture<String> result) {}

  private final QueueKeys keys;
  private final ScriptRunner scripts;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  AddCoalescer(QueueKeys keys, ScriptRunner scripts) {
    this.keys = keys;
    this.scripts = scripts;
  }

  /**
   * Adds one job whose ARGV group ({@link AddJobArgs#STRIDE} values, without the leading count) is built.
   *
   * @return the job id
   */
  String add(JobRequest request, Object[] args) {
    Pending p = new Pending(request, args, new CompletableFuture<>());
    pending.add(p);
    // Whoever holds a permit sends what is pending. After releasing, a sender looks again: an add queued
    // while every permit was taken is then picked up (its own tryAcquire failed before that release).
    while (!pending.isEmpty() && inFlight.tryAcquire()) {
      try {
        sendPending();
      } finally {
        inFlight.release();
      }
    }
    try {
      return p.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void sendPending() {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < MAX_JOBS_PER_BATCH && (p = pending.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      List<Object> reply = run(batch);
      if (!reply.isEmpty() && reply.get(0) instanceof Long) {
        if (batch.size() == 1) {
          fail(batch.get(0), reply);
        } else {
          batch.forEach(one -> sendAlone(one));
        }
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(String.valueOf(reply.get(i)));
      }
    } catch (RuntimeException e) {
      batch.forEach(one -> one.result().completeExceptionally(e));
    }
  }

  private void sendAlone(Pending one) {
    try {
      List<Object> reply = run(List.of(one));
      if (!reply.isEmpty() && reply.get(0) instanceof Long) {
        fail(one, reply);
      } else {
        one.result().complete(String.valueOf(reply.get(0)));
      }
    } catch (RuntimeException e) {
      one.result().completeExceptionally(e);
    }
  }

  private List<Object> run(List<Pending> batch) {
    Object[] args = new Object[1 + batch.size() * AddJobArgs.STRIDE];
    args[0] = String.valueOf(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).args(), 0, args, 1 + i * AddJobArgs.STRIDE, AddJobArgs.STRIDE);
    }
    return scripts.run(Command.ADD_JOBS, keys.base(), args);
  }

  private static void fail(Pending one, List<Object> reply) {
    one.result().completeExceptionally(
        ScriptError.toException((Long) reply.get(0), String.valueOf(one.request().options().jobId()), "addJob",
            null));
  }
}
