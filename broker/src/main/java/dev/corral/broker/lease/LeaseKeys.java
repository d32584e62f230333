package dev.corral.broker.lease;

import dev.corral.broker.keys.QueueKeys;

/**
 * Names of the leader election's keys under one prefix. Pure and immutable; thread-safe.
 *
 * @param prefix the key prefix ({@code bull} by default, as the queues'); validated as a queue prefix
 */
public record LeaseKeys(String prefix) {

  /** Validates the prefix. */
  public LeaseKeys {
    QueueKeys.validatePrefix(prefix);
  }

  /** {@code "<prefix>:corral:leader"}: a string holding the leader's instance id, with the lease's TTL. */
  public String leader() {
    return prefix + ":corral:leader";
  }
}
