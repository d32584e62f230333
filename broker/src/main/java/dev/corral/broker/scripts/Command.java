package dev.corral.broker.scripts;

/**
 * Every Lua command Corral runs. Each is one file {@code lua/<name>-<keys>.lua} under
 * {@code dev/corral/broker/lua/} with a KEYS/ARGV header. All of them take the queue base key
 * {@code "<prefix>:<queue>:"} as KEYS[1] and derive the queue's other keys from it (all of a queue's
 * keys share one hash slot when the prefix or queue name is hash-tagged, as BullMQ requires anyway).
 * The DAG scripts take the DAG base key {@code "<prefix>:dag:"} instead and reach every node queue under the
 * same prefix (hash-tag the prefix on Cluster).
 */
public enum Command {
  ADD_JOBS("addJobs", 1),
  ADD_FLOW("addFlow", 1),
  MOVE_TO_ACTIVE("moveToActive", 1),
  MOVE_TO_FINISHED("moveToFinished", 1),
  MOVE_TO_DELAYED("moveToDelayed", 1),
  RETRY_JOB("retryJob", 1),
  MOVE_JOB_FROM_ACTIVE_TO_WAIT("moveJobFromActiveToWait", 1),
  MOVE_STALLED_JOBS_TO_WAIT("moveStalledJobsToWait", 1),
  EXTEND_LOCKS("extendLocks", 1),
  UPDATE_PROGRESS("updateProgress", 1),
  ADD_LOG("addLog", 1),
  UPDATE_DATA("updateData", 1),
  PAUSE("pause", 1),
  RESUME("resume", 1),
  GET_COUNTS("getCounts", 1),
  GET_STATE("getState", 1),
  GET_JOBS("getJobs", 1),
  PROMOTE("promote", 1),
  CHANGE_DELAY("changeDelay", 1),
  CHANGE_PRIORITY("changePriority", 1),
  REMOVE_JOB("removeJob", 1),
  CLEAN_JOBS_IN_SET("cleanJobsInSet", 1),
  DRAIN("drain", 1),
  OBLITERATE("obliterate", 1),
  REPROCESS_JOB("reprocessJob", 1),
  MOVE_JOBS_TO_WAIT("moveJobsToWait", 1),
  GET_COUNTS_PER_PRIORITY("getCountsPerPriority", 1),
  GET_RATE_LIMIT_TTL("getRateLimitTtl", 1),
  GET_METRICS("getMetrics", 1),
  MOVE_TO_WAITING_CHILDREN("moveToWaitingChildren", 1),
  QUEUE_STATS("queueStats", 1),
  // job schedulers (docs/schedulers.md)
  ADD_JOB_SCHEDULER("addJobScheduler", 1),
  UPDATE_JOB_SCHEDULER("updateJobScheduler", 1),
  REMOVE_JOB_SCHEDULER("removeJobScheduler", 1),
  GET_JOB_SCHEDULERS("getJobSchedulers", 1),
  // DAG executions (docs/dag.md): KEYS[1] is the DAG base key "<prefix>:dag:" instead of a queue's
  DAG_SUBMIT("dagSubmit", 1),
  DAG_GET("dagGet", 1),
  DAG_CANCEL("dagCancel", 1),
  // KEYS[1] is the node's queue base key, as the queue scripts
  DAG_NODE_FINISHED("dagNodeFinished", 1),
  // the reconciliation sweep (DagCoordinator): KEYS[1] is the DAG base key
  DAG_SWEEP("dagSweep", 1),
  DAG_CLEAN_EXPIRED("dagCleanExpired", 1),
  // a DAG node's dependency outcomes (its processor's context): KEYS[1] is the node's queue base key
  DAG_DEPENDENCIES("dagDependencies", 1),
  // the worker registry, commands and stuck history (docs/workers.md): KEYS[1] is the registry base key
  // "{<prefix>:workers}:"; every registry key starts with it, so all of them share one hash slot
  WORKER_REGISTER("workerRegister", 1),
  WORKER_HEARTBEAT("workerHeartbeat", 1),
  WORKER_DEREGISTER("workerDeregister", 1),
  WORKER_SWEEP("workerSweep", 1),
  WORKER_LIST("workerList", 1),
  WORKER_COMMAND_SEND("workerCommandSend", 1),
  WORKER_COMMAND_TAKE("workerCommandTake", 1),
  WORKER_COMMAND_ACK("workerCommandAck", 1),
  STUCK_RECORD("stuckRecord", 1),
  STUCK_QUERY("stuckQuery", 1),
  // the leader lease (lease.LeaderLease): KEYS[1] is the lease key "<prefix>:corral:leader"
  LEASE_ACQUIRE("leaseAcquire", 1),
  LEASE_RENEW("leaseRenew", 1),
  LEASE_RELEASE("leaseRelease", 1),
  // read-only previews for recovery dry runs: KEYS[1] is the queue base key, then the DAG base key
  STALLED_PREVIEW("stalledPreview", 1),
  DAG_SWEEP_PREVIEW("dagSweepPreview", 1);


  private final String scriptName;
  private final int numberOfKeys;

  Command(String scriptName, int numberOfKeys) {
    this.scriptName = scriptName;
    this.numberOfKeys = numberOfKeys;
  }

  /** The script's name, as in its file name. */
  public String scriptName() {
    return scriptName;
  }

  /** How many KEYS the script declares. */
  public int numberOfKeys() {
    return numberOfKeys;
  }

  /** The classpath file name: {@code <name>-<keys>.lua}. */
  public String fileName() {
    return scriptName + "-" + numberOfKeys + ".lua";
  }
}
