package dev.corral.broker;

import dev.corral.broker.support.Checks;

/**
 * One job to add: its name, data and options.
 *
 * @param name the job name (not null; may be empty, as in BullMQ)
 * @param data the job data: any value Jackson can serialise, a {@code JsonNode}, or null for {@code {}}
 * @param options the job options
 */
public record JobRequest(String name, Object data, JobOptions options) {

  /** Validates the request; a null options value means {@link JobOptions#defaults()}. */
  public JobRequest {
    Checks.notNull(name, "name");
    options = options == null ? JobOptions.defaults() : options;
  }

  /** A job with default options. */
  public static JobRequest of(String name, Object data) {
    return new JobRequest(name, data, JobOptions.defaults());
  }
}
