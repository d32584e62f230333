package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stored job scheduler as BullMQ 6.7.0's {@code getJobScheduler} returns it: the {@code P repeat:<id>}
 * hash and its due time in {@code P repeat}. Absent fields are {@code null}.
 *
 * @param key the scheduler id
 * @param name the iterations' name
 * @param next due time of the current iteration (ms)
 * @param iterationCount {@code ic}: iterations created so far
 * @param limit maximum number of iterations
 * @param startDate first possible time (ms)
 * @param endDate last possible time (ms)
 * @param tz the pattern's time zone
 * @param pattern the cron pattern
 * @param every the interval (ms)
 * @param offset the slot offset (ms)
 * @param templateData the iterations' data, or {@code null} when it is {@code {}}
 * @param templateOpts the iterations' options (BullMQ's compact keys), or {@code null} when none
 */
public record JobScheduler(String key, String name, Long next, Long iterationCount, Long limit, Long startDate,
    Long endDate, String tz, String pattern, Long every, Long offset, JsonNode templateData,
    JsonNode templateOpts) {}
