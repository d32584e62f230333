package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/**
 * Test stand-in for a Node BullMQ worker, which knows nothing of DAGs: takes node jobs through the real
 * moveToActive script (via {@link DagDriver}) and finishes them with raw commands, leaving what bullmq's
 * moveToFinished leaves (the job in completed / failed with its fields and a {@code completed} /
 * {@code failed} event, or no hash at all with {@code removeOnComplete}) and doing no DAG bookkeeping.
 */
final class OutsideWorker {

  private final DagDriver t;
  private final BrokerClient client;

  OutsideWorker(DagDriver t) {
    this.t = t;
    this.client = t.client;
  }

  /** Takes the next job of {@code queue} (null when none is runnable). */
  DagDriver.Taken take(String queue) {
    return t.take(queue);
  }

  /** Completes a taken job with {@code "<node>-done"}, keeping it (in completed), and writes the event. */
  void complete(DagDriver.Taken job) {
    finish(job, "completed", DagDriver.result(job.node()), false);
  }

  /** Completes a taken job as a worker with removeOnComplete does: the hash is deleted, the event written. */
  void completeAndRemove(DagDriver.Taken job) {
    finish(job, "completed", DagDriver.result(job.node()), true);
  }

  /** Fails a taken job for good (in failed), and writes the event. */
  void fail(DagDriver.Taken job, String reason) {
    finish(job, "failed", reason, false);
  }

  /** A failed attempt that will be retried: the job goes back to wait, a {@code failed} event is written. */
  void failAttemptAndRetry(DagDriver.Taken job, String reason) {
    QueueKeys q = t.keys.queue(job.queue());
    RBatch batch = client.redisson().createBatch();
    batch.getList(q.active(), StringCodec.INSTANCE).removeAsync(job.jobId());
    batch.getDeque(q.waitList(), StringCodec.INSTANCE).addFirstAsync(job.jobId());
    batch.getMap(q.job(job.jobId()), StringCodec.INSTANCE).putAsync("failedReason", reason);
    batch.getStream(q.events(), StringCodec.INSTANCE).addAsync(StreamAddArgs.entries(
        Map.of("event", "failed", "jobId", job.jobId(), "failedReason", reason, "prev", "active")));
    batch.execute();
  }

  /** Takes the next job of {@code queue} and completes it; returns its node id (null when none). */
  String runNext(String queue) {
    DagDriver.Taken job = take(queue);
    if (job == null) {
      return null;
    }
    complete(job);
    return job.node();
  }

  private void finish(DagDriver.Taken job, String target, String value, boolean remove) {
    QueueKeys q = t.keys.queue(job.queue());
    long now = client.clock().millis();
    RBatch batch = client.redisson().createBatch();
    batch.getList(q.active(), StringCodec.INSTANCE).removeAsync(job.jobId());
    if (remove) {
      batch.getKeys().deleteAsync(q.job(job.jobId()));
    } else {
      batch.getScoredSortedSet(q.key(target), StringCodec.INSTANCE).addAsync(now, job.jobId());
      batch.getMap(q.job(job.jobId()), StringCodec.INSTANCE).putAllAsync(Map.of(
          target.equals("completed") ? "returnvalue" : "failedReason", value, "finishedOn", String.valueOf(now)));
    }
    String field = target.equals("completed") ? "returnvalue" : "failedReason";
    batch.getStream(q.events(), StringCodec.INSTANCE).addAsync(StreamAddArgs.entries(
        Map.of("event", target, "jobId", job.jobId(), field, value, "prev", "active")));
    batch.execute();
  }
}
