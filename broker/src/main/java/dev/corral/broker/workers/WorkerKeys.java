package dev.corral.broker.workers;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;

/**
 * Names of the worker registry's keys and channels under one prefix (docs/workers.md, "Keys"). Every key
 * starts with the hash tag {@code {<prefix>:workers}}, so the registry, the command queues and the stuck
 * history share one hash slot on Redis Cluster and each script can touch all of them; listing goes through
 * the index zset, never KEYS or SCAN. Pure and immutable; thread-safe.
 *
 * @param prefix the key prefix ({@code bull} by default, as the queues')
 */
public record WorkerKeys(String prefix) {

  /** Validates the prefix (as a queue prefix). */
  public WorkerKeys {
    QueueKeys.validatePrefix(Checks.notNull(prefix, "prefix")); // same rules as queue prefixes
  }

  /** {@code "{<prefix>:workers}:"}: KEYS[1] of the registry scripts, what every registry key starts with. */
  public String base() {
    return "{" + prefix + ":workers}:";
  }

  /** Zset of worker ids by last heartbeat (ms). */
  public String index() {
    return base() + "index";
  }

  /** Zset of worker ids by the time (ms) at which they count as dead. */
  public String deadlines() {
    return base() + "deadlines";
  }

  /** The worker's hash: registration JSON, last heartbeat JSON and times. */
  public String worker(String workerId) {
    return base() + "w:" + workerId;
  }

  /** Job ref {@code <queue>:<jobId>} → job JSON, for the jobs the worker last reported. */
  public String jobs(String workerId) {
    return worker(workerId) + ":jobs";
  }

  /** List of pending command ids, oldest first. */
  public String commandQueue(String workerId) {
    return worker(workerId) + ":queue";
  }

  /** Command id → command JSON, for pending and taken commands. */
  public String commands(String workerId) {
    return worker(workerId) + ":cmds";
  }

  /** Command id → time taken (ms), for commands taken and not yet acknowledged. */
  public String taken(String workerId) {
    return worker(workerId) + ":taken";
  }

  /** The worker's audit list, newest first. */
  public String audit(String workerId) {
    return worker(workerId) + ":audit";
  }

  /** Job ref → id of the live worker running it. */
  public String owners() {
    return base() + "owners";
  }

  /** Job ref → id of the worker that owned it before its current owner took it over. */
  public String handoffs() {
    return base() + "handoffs";
  }

  /** The stuck-history bucket of {@code hour} (hours since the epoch). */
  public String stuckBucket(long hour) {
    return base() + "stuck:" + hour;
  }

  /** The channel every heartbeat payload is published on. */
  public String heartbeatChannel() {
    return base() + "heartbeats";
  }

  /** The channel that nudges worker {@code workerId} to read its command queue now. */
  public String commandChannel(String workerId) {
    return "{" + prefix + ":workers}:worker:" + workerId + ":commands";
  }
}
