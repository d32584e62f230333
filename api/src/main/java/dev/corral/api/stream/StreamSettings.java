package dev.corral.api.stream;

import java.time.Duration;

/**
 * Settings of {@code GET /api/stream}.
 *
 * @param maxStreams most open streams per server ({@code CORRAL_MAX_STREAMS}, default 100); more get 503
 * @param keepAlive how often an idle stream gets a {@code : keepalive} comment (default 15 s); also how soon a
 *     disconnected idle client is noticed
 * @param bufferSize events buffered per client before it counts as too slow and is dropped (default 1000)
 */
public record StreamSettings(int maxStreams, Duration keepAlive, int bufferSize) {

  /** The default limit of open streams. */
  public static final int DEFAULT_MAX_STREAMS = 100;

  /** Validates. */
  public StreamSettings {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be >= 1, was " + maxStreams);
    }
    if (keepAlive == null || keepAlive.toMillis() < 1) {
      throw new IllegalArgumentException("keepAlive must be positive, was " + keepAlive);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
    }
  }

  /** 100 streams, a keepalive every 15 s, 1000 buffered events. */
  public static StreamSettings defaults() {
    return new StreamSettings(DEFAULT_MAX_STREAMS, Duration.ofSeconds(15), 1000);
  }

  /** These settings with another limit. */
  public StreamSettings withMaxStreams(int n) {
    return new StreamSettings(n, keepAlive, bufferSize);
  }
}
