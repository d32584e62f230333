package dev.corral.api.health;

/**
 * The body of {@code GET /health}.
 *
 * @param status {@code UP} (200), {@code DEGRADED} (200: it works, but a component needs attention) or
 *     {@code DOWN} (503: Redis unreachable, or the server is stopping)
 * @param instanceId this API instance
 * @param version the server's version
 * @param uptimeMs milliseconds since the server started
 * @param isLeader whether this instance is the elected leader (runs the background maintenance)
 * @param redis the state of Redis
 * @param components the queue, workers and executions components
 * @param workers the registered workers by state (null when Redis is down)
 * @param capacity busy and total processing slots of the live workers (null when Redis is down)
 */
public record HealthReport(String status, String instanceId, String version, long uptimeMs, boolean isLeader,
    RedisStatus redis, Components components, WorkerCounts workers, Capacity capacity) {

  /** The status of a healthy server or dependency. */
  public static final String UP = "UP";

  /** The status of a server that works but has a degraded component. */
  public static final String DEGRADED = "DEGRADED";

  /** The status of an unhealthy server or dependency. */
  public static final String DOWN = "DOWN";

  /**
   * One component's state.
   *
   * @param status {@code ok}, {@code degraded} or {@code down}
   * @param reason why, in words
   */
  public record Component(String status, String reason) {

    /** A component that works. */
    public static Component ok(String reason) {
      return new Component("ok", reason);
    }

    /** A component that works partly. */
    public static Component degraded(String reason) {
      return new Component("degraded", reason);
    }

    /** A component that does not work. */
    public static Component down(String reason) {
      return new Component("down", reason);
    }
  }

  /**
   * The components.
   *
   * @param queue adding and reading jobs (Redis answers, and fast)
   * @param workers the registered workers (some are live and healthy)
   * @param executions DAG executions and stalled-job recovery (some instance leads and runs the maintenance)
   */
  public record Components(Component queue, Component workers, Component executions) {}

  /**
   * Registered workers by state, from their heartbeats.
   *
   * @param total registered workers (live or not yet swept)
   * @param active healthy workers
   * @param idle healthy workers with no busy slot
   * @param busy healthy workers with at least one busy slot
   * @param unhealthy workers that missed heartbeats (unhealthy or dead, not yet swept)
   * @param utilizationPercent busy slots / total slots of the healthy workers, 0..100 (one decimal)
   */
  public record WorkerCounts(int total, int active, int idle, int busy, int unhealthy, double utilizationPercent) {}

  /**
   * Processing slots of the healthy workers.
   *
   * @param current busy slots
   * @param max total slots (pool size, or concurrency before the first heartbeat)
   */
  public record Capacity(long current, long max) {}
}
