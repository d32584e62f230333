package dev.corral.broker.lease;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

/**
 * How a {@link LeaderLease} runs. Immutable; thread-safe.
 *
 * @param prefix key prefix of the lease key ({@link LeaseKeys})
 * @param instanceId this process's id, written into the lease while it leads
 * @param ttl how long the lease lasts without renewal (at least 100 ms); a dead leader's lease is taken over
 *     within {@code ttl + renewPeriod}
 * @param renewPeriod how often the leader renews and the others try to take the lease (below {@code ttl};
 *     {@code ttl / 3} by default)
 */
public record LeaseOptions(String prefix, String instanceId, Duration ttl, Duration renewPeriod) {

  /** The default lease TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** Validates the options. */
  public LeaseOptions {
    new LeaseKeys(prefix);
    Checks.notEmpty(instanceId, "instanceId");
    Checks.notNull(ttl, "ttl");
    Checks.notNull(renewPeriod, "renewPeriod");
    Checks.isTrue(ttl.toMillis() >= 100, "ttl must be at least 100 ms, was %s", ttl);
    Checks.isTrue(renewPeriod.toMillis() >= 10 && renewPeriod.compareTo(ttl) < 0,
        "renewPeriod must be at least 10 ms and below ttl (%s), was %s", ttl, renewPeriod);
  }

  /** Prefix {@code bull}, a new {@link #newInstanceId() instance id}, TTL 10 s renewed every TTL / 3. */
  public static LeaseOptions defaults() {
    return new LeaseOptions(QueueKeys.DEFAULT_PREFIX, newInstanceId(), DEFAULT_TTL, DEFAULT_TTL.dividedBy(3));
  }

  /** These options with TTL {@code value}, renewed every {@code value / 3}. */
  public LeaseOptions withTtl(Duration value) {
    Checks.notNull(value, "ttl");
    return new LeaseOptions(prefix, instanceId, value, value.dividedBy(3));
  }

  /** These options with instance id {@code value}. */
  public LeaseOptions withInstanceId(String value) {
    return new LeaseOptions(prefix, value, ttl, renewPeriod);
  }

  /** These options with key prefix {@code value}. */
  public LeaseOptions withPrefix(String value) {
    return new LeaseOptions(value, instanceId, ttl, renewPeriod);
  }

  /** {@code <host>-<pid>-<8 random hex digits>}: readable in logs and unique across restarts. */
  public static String newInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "_");
    long pid = ProcessHandle.current().pid();
    return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
