package dev.corral.sdk.internal;

import dev.corral.broker.dag.DagKeys;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Job;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.workers.StuckEvent;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.StuckReason;
import dev.corral.sdk.StuckRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Records this worker's stuck jobs (stalled recoveries, lost locks, timeouts reported by the processor) in the
 * stuck history, with the job's name and its DAG execution and workflow when it is a DAG node. Never throws:
 * failures go to the worker's error listeners. Workflow ids are read once per execution and cached.
 *
 * <p>Thread-safe.
 */
public final class StuckReporter implements StuckRecorder {

  private static final int WORKFLOW_CACHE = 1000;
  private static final Set<String> JOB_FIELDS = Set.of("name", "dagKey");

  private final StuckHistory history;
  private final RedissonClient redis;
  private final QueueKeys keys;
  private final String workerId;
  private final Listeners listeners;
  private final Map<String, String> workflowByDagKey = new ConcurrentHashMap<>();

  public StuckReporter(BrokerClient client, StuckHistory history, QueueKeys keys, String workerId,
      Listeners listeners) {
    this.history = history;
    this.redis = client.redisson();
    this.keys = keys;
    this.workerId = workerId;
    this.listeners = listeners;
  }

  @Override
  public void record(Job job, StuckReason reason, String detail) {
    if (job == null || reason == null) {
      return;
    }
    save(List.of(event(job.id(), job.name(), job.raw().get("dagKey"), workerId, reason, detail)));
  }

  /** Records an active job of this worker (a lost lock). */
  public void record(ActiveJob job, StuckReason reason, String detail) {
    save(List.of(event(job.jobId(), job.name(), job.dagKey(), workerId, reason, detail)));
  }

  /**
   * Records jobs this worker's stalled check moved back to wait: their owner is whoever the registry says ran
   * them before {@code checkStartedAt}, not this worker (nor one that took a job again since).
   *
   * @param checkStartedAt when the check started (ms), before it moved any job
   */
  public void recordRecovered(List<String> jobIds, StuckReason reason, String detail, long checkStartedAt) {
    if (jobIds.isEmpty()) {
      return;
    }
    try {
      List<StuckEvent> events = new ArrayList<>(jobIds.size());
      for (String id : jobIds) {
        Map<String, String> f = redis.<String, String>getMap(keys.job(id), StringCodec.INSTANCE).getAll(JOB_FIELDS);
        events.add(event(id, f.get("name"), f.get("dagKey"), null, reason, detail, checkStartedAt));
      }
      history.record(events);
    } catch (RuntimeException e) {
      listeners.error(e);
    }
  }

  private StuckEvent event(String jobId, String name, String dagKey, String worker, StuckReason reason,
      String detail) {
    return event(jobId, name, dagKey, worker, reason, detail, 0);
  }

  private StuckEvent event(String jobId, String name, String dagKey, String worker, StuckReason reason,
      String detail, long at) {
    String execId = null;
    String workflow = null;
    if (dagKey != null) {
      execId = DagKeys.executionIdOf(dagKey);
      workflow = workflowOf(dagKey);
    }
    String d = detail == null ? "" : detail.length() > 1024 ? detail.substring(0, 1024) : detail;
    return new StuckEvent(keys.queueName(), jobId, name, execId, workflow, worker, reason, d, at);
  }

  /** The workflow id of the DAG execution {@code dagKey} (one HGET, then cached), or null. */
  public String workflowOf(String dagKey) {
    String cached = workflowByDagKey.get(dagKey);
    if (cached != null) {
      return cached.isEmpty() ? null : cached;
    }
    try {
      Object wf = redis.getMap(dagKey, StringCodec.INSTANCE).get("workflowId");
      if (workflowByDagKey.size() >= WORKFLOW_CACHE) {
        workflowByDagKey.clear();
      }
      workflowByDagKey.put(dagKey, wf == null ? "" : wf.toString());
      return wf == null ? null : wf.toString();
    } catch (RuntimeException e) {
      listeners.error(e);
      return null;
    }
  }

  private void save(List<StuckEvent> events) {
    try {
      history.record(events);
    } catch (RuntimeException e) {
      listeners.error(e);
    }
  }
}
