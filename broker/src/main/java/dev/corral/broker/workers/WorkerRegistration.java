package dev.corral.broker.workers;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.util.List;
import java.util.Map;

/**
 * What a worker tells the registry when it starts. Validated on construction; immutable.
 *
 * @param workerId unique id ({@link WorkerIds#PATTERN})
 * @param hostname the host it runs on
 * @param pid its operating-system process id
 * @param startedAt when it started (ms since the epoch)
 * @param version the library version (e.g. {@code corral:0.1.0})
 * @param queues the queues it processes (at least one)
 * @param capabilities free-form capability names (at most 32, each at most 64 characters)
 * @param labels free-form labels (at most 32, keys at most 64 and values at most 256 characters)
 * @param concurrency jobs it runs at once
 * @param minProcesses the fewest child processes its pool keeps (0 without a pool)
 * @param maxProcesses the most child processes its pool runs (0 without a pool)
 * @param metadata anything else worth showing (same bounds as labels)
 * @param heartbeatIntervalMs how often it heartbeats (100 ms .. 10 min)
 * @param deadAfterMissed missed heartbeats after which it counts as dead and is swept (3..100)
 */
public record WorkerRegistration(String workerId, String hostname, long pid, long startedAt, String version,
    List<String> queues, List<String> capabilities, Map<String, String> labels, int concurrency,
    int minProcesses, int maxProcesses, Map<String, String> metadata, long heartbeatIntervalMs,
    int deadAfterMissed) {

  /** Missed heartbeats after which a worker shows as unhealthy. */
  public static final int UNHEALTHY_AFTER_MISSED = 2;

  /** Validates and copies. */
  public WorkerRegistration {
    WorkerIds.validate(workerId);
    Checks.notNull(hostname, "hostname");
    Checks.isTrue(hostname.length() <= 255, "hostname must be at most 255 characters, was %d", hostname.length());
    Checks.atLeast(pid, 0, "pid");
    Checks.atLeast(startedAt, 0, "startedAt");
    version = version == null ? "" : version;
    Checks.isTrue(version.length() <= 64, "version must be at most 64 characters, was %d", version.length());
    Checks.notNull(queues, "queues");
    Checks.isTrue(!queues.isEmpty() && queues.size() <= 1000, "queues must hold 1 to 1000 names, was %d",
        queues.size());
    queues.forEach(QueueKeys::validateQueueName);
    capabilities = List.copyOf(capabilities == null ? List.of() : capabilities);
    Checks.isTrue(capabilities.size() <= 32, "capabilities must hold at most 32 names, was %d", capabilities.size());
    capabilities.forEach(c -> Checks.isTrue(!c.isEmpty() && c.length() <= 64,
        "capabilities entries must be 1 to 64 characters, was '%s'", c));
    labels = bounded(labels, "labels");
    metadata = bounded(metadata, "metadata");
    Checks.inRange(concurrency, 1, 100_000, "concurrency");
    Checks.atLeast(minProcesses, 0, "minProcesses");
    Checks.isTrue(maxProcesses >= minProcesses, "maxProcesses must be >= minProcesses (%d), was %d", minProcesses,
        maxProcesses);
    Checks.inRange(heartbeatIntervalMs, 100, 600_000, "heartbeatIntervalMs");
    Checks.inRange(deadAfterMissed, 3, 100, "deadAfterMissed");
    queues = List.copyOf(queues);
  }

  private static Map<String, String> bounded(Map<String, String> map, String field) {
    Map<String, String> copy = Map.copyOf(map == null ? Map.of() : map);
    Checks.isTrue(copy.size() <= 32, "%s must hold at most 32 entries, was %d", field, copy.size());
    copy.forEach((k, v) -> {
      Checks.isTrue(!k.isEmpty() && k.length() <= 64, "%s keys must be 1 to 64 characters, was '%s'", field, k);
      Checks.isTrue(v.length() <= 256, "%s values must be at most 256 characters, was %d (key '%s')", field,
          v.length(), k);
    });
    return copy;
  }
}
