package dev.corral.api.auth;

import java.util.Objects;

/**
 * The security part of the API server's configuration.
 *
 * @param tokens the accepted bearer tokens
 * @param insecureDev whether authentication is off (only allowed explicitly, for development)
 * @param protectHealth whether {@code /health} and {@code /metrics} need a token
 * @param maxBodyBytes the largest accepted request body
 */
public record SecuritySettings(TokenStore tokens, boolean insecureDev, boolean protectHealth, long maxBodyBytes) {

  /** The default body limit, 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException when no token is configured and {@code insecureDev} is off
   */
  public SecuritySettings {
    Objects.requireNonNull(tokens, "tokens");
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    if (tokens.isEmpty() && !insecureDev) {
      throw new IllegalArgumentException("no API tokens configured. Set CORRAL_TOKENS=role:token[,role:token...] "
          + "(or --tokens=) or CORRAL_TOKENS_FILE (role:token or role:sha256:<hex> per line); roles are admin, "
          + "operator, worker, submitter. To run without authentication for local development only, pass "
          + "--insecure-dev (or CORRAL_INSECURE_DEV=true)");
    }
  }

  /** Authentication off, health open, default body limit: for local development and tests only. */
  public static SecuritySettings insecureDevelopment() {
    return new SecuritySettings(TokenStore.empty(), true, false, DEFAULT_MAX_BODY_BYTES);
  }

  /** Authentication on with {@code tokens}, health open, default body limit. */
  public static SecuritySettings withTokens(TokenStore tokens) {
    return new SecuritySettings(tokens, false, false, DEFAULT_MAX_BODY_BYTES);
  }
}
