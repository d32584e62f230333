package dev.corral.api.schedulers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.JobScheduler;

/**
 * One job scheduler as the API shows it (BullMQ's {@code getJobScheduler} fields, snake_case).
 *
 * @param id the scheduler id
 * @param name the iterations' job name
 * @param next due time of the current iteration (ms since the epoch), or null when none is pending
 * @param iterationCount iterations created so far
 * @param limit most iterations, or null
 * @param startDate first possible time (ms), or null
 * @param endDate last possible time (ms), or null
 * @param tz the pattern's time zone, or null
 * @param pattern the cron pattern, or null
 * @param every the interval in ms, or null
 * @param offset the slot offset in ms, or null
 * @param templateData the iterations' data, or null for {@code {}}
 * @param templateOptions the iterations' options as stored (BullMQ's keys), or null for none
 */
public record SchedulerView(String id, String name, Long next, Long iterationCount, Long limit, Long startDate,
    Long endDate, String tz, String pattern, Long every, Long offset, JsonNode templateData,
    JsonNode templateOptions) {

  static SchedulerView of(JobScheduler s) {
    return new SchedulerView(s.key(), s.name(), s.next(), s.iterationCount(), s.limit(), s.startDate(),
        s.endDate(), s.tz(), s.pattern(), s.every(), s.offset(), s.templateData(), s.templateOpts());
  }
}
