package dev.corral.broker;

import dev.corral.broker.support.Checks;

/**
 * What each iteration of a job scheduler is: its name, data and options (BullMQ's job template). Immutable.
 *
 * @param name the iterations' job name, or {@code null} for the scheduler id
 * @param data the iterations' data (any JSON-serialisable value), or {@code null} for {@code {}}
 * @param opts the iterations' options, or {@code null} for none; jobId, delay, timestamp and deduplication
 *     are not allowed (the scheduler sets the first three; BullMQ's template type omits jobId, delay and
 *     deduplication)
 */
public record JobSchedulerTemplate(String name, Object data, JobOptions opts) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException naming the option that a template cannot have
   */
  public JobSchedulerTemplate {
    if (name != null) {
      Checks.notEmpty(name, "template.name");
    }
    if (opts != null) {
      Checks.isTrue(opts.jobId() == null, "template.opts.jobId is set by the scheduler, was '%s'", opts.jobId());
      Checks.isTrue(opts.delay() == 0, "template.opts.delay is set by the scheduler, was %d", opts.delay());
      Checks.isTrue(opts.timestamp() == null, "template.opts.timestamp is set by the scheduler, was %s",
          opts.timestamp());
      Checks.isTrue(opts.deduplication() == null,
          "template.opts.deduplication is not supported for job schedulers, was %s", opts.deduplication());
    }
  }

  /** A template with only a name. */
  public static JobSchedulerTemplate named(String name) {
    return new JobSchedulerTemplate(name, null, null);
  }
}
