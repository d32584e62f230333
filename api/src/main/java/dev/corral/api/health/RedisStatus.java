package dev.corral.api.health;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The {@code redis} part of {@code /health}.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param latencyMs how long the PING took, when {@code UP}
 * @param error why Redis counts as down, when {@code DOWN}
 */
public record RedisStatus(String status, Long latencyMs, String error) {

  /** Redis answered PING in {@code latencyMs}. */
  public static RedisStatus up(long latencyMs) {
    return new RedisStatus(HealthReport.UP, latencyMs, null);
  }

  /** Redis did not answer, because of {@code error}. */
  public static RedisStatus down(String error) {
    return new RedisStatus(HealthReport.DOWN, null, error);
  }

  /** Whether Redis answered. */
  @JsonIgnore
  public boolean isUp() {
    return HealthReport.UP.equals(status);
  }
}
