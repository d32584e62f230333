package dev.corral.api.health;

/**
 * The body of {@code GET /health}.
 *
 * @param status {@code UP} when every dependency is up, else {@code DOWN}
 * @param version the server's version
 * @param uptimeMs milliseconds since the server started
 * @param redis the state of Redis
 */
public record HealthReport(String status, String version, long uptimeMs, RedisStatus redis) {

  /** The status of a healthy server or dependency. */
  public static final String UP = "UP";

  /** The status of an unhealthy server or dependency. */
  public static final String DOWN = "DOWN";
}
