package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.ScriptDriver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test helper: DAG executions under a fresh prefix, and a worker stand-in that takes and finishes node jobs
 * through the real worker scripts (moveToActive / moveToFinished, via {@link ScriptDriver}).
 */
final class DagDriver {

  final BrokerClient client;
  final RedisProbe probe;
  final String prefix = "dagt-" + UUID.randomUUID().toString().substring(0, 8);
  final DagExecutions dags;
  final DagKeys keys;
  private final Map<String, ScriptDriver> drivers = new HashMap<>();

  DagDriver(BrokerClient client) {
    this.client = client;
    this.probe = new RedisProbe(client);
    this.dags = DagExecutions.create(client, prefix, DagLimits.defaults());
    this.keys = dags.keys();
  }

  Queue queue(String name) {
    return client.queue(name, QueueOptions.defaults().withPrefix(prefix));
  }

  private ScriptDriver driver(String queue) {
    return drivers.computeIfAbsent(queue, q -> new ScriptDriver(queue(q)));
  }

  /** A job taken from {@code queue}: its id and node id. */
  record Taken(String queue, String jobId, String node) {}

  /** Takes the next job of {@code queue}, or null when none is runnable. */
  Taken take(String queue) {
    return takeAt(queue, client.clock().millis());
  }

  /** As {@link #take}, the fetch's now being {@code now}. */
  Taken takeAt(String queue, long now) {
    String jobId = driver(queue).takeAt("0", now);
    if (jobId == null) {
      return null;
    }
    return new Taken(queue, jobId, probe.hash(keys.queue(queue).job(jobId)).get("dagNode"));
  }

  /** Completes a taken job with return value {@code "<node>-done"}. */
  void complete(Taken job) {
    completeAt(job, client.clock().millis());
  }

  /** As {@link #complete}, the finish's now being {@code now}. */
  void completeAt(Taken job, long now) {
    driver(job.queue()).completeAt(job.jobId(), "0", result(job.node()), now);
  }

  /** Fails a taken job for good. */
  void fail(Taken job, String reason) {
    driver(job.queue()).fail(job.jobId(), "0", reason);
  }

  /** Takes the next job of {@code queue} and completes it; returns its node id (null when none). */
  String runNext(String queue) {
    Taken job = take(queue);
    if (job == null) {
      return null;
    }
    complete(job);
    return job.node();
  }

  static String result(String node) {
    return "\"" + node + "-done\"";
  }

  /** The job key of node {@code node} of {@code execId}. */
  String jobKey(String execId, String node) {
    DagNodeStatus n = dags.get(execId).orElseThrow().node(node);
    return keys.queue(n.queue()).job(n.jobId());
  }

  Map<String, String> state(String execId) {
    return probe.hash(keys.state(execId));
  }

  Map<String, String> record(String execId) {
    return probe.hash(keys.execution(execId));
  }

  /** The DAG stream's events of one type, as field maps. */
  List<Map<String, String>> dagEvents(String type) {
    return probe.stream(keys.stream()).stream().filter(e -> type.equals(e.get("event"))).toList();
  }
}
