package dev.corral.api.auth;

import java.util.Locale;

/** The roles a bearer token can have; see {@link AccessPolicy} for what each may do. */
public enum Role {
  /** Everything, including {@code /api/admin/**}, draining and cleaning queues, and schema changes. */
  ADMIN,
  /** Read everything, pause/resume queues, manage jobs, send worker commands (not drain/clean queues). */
  OPERATOR,
  /** Register, heartbeat and deregister workers, and fetch/acknowledge their commands. */
  WORKER,
  /** Submit and read jobs and executions. */
  SUBMITTER;

  /** The role named {@code name} (case-insensitive), e.g. {@code admin}. */
  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role '" + name + "'; roles are admin, operator, worker, submitter");
    }
  }

  /** The lower-case name used in configuration, e.g. {@code admin}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
