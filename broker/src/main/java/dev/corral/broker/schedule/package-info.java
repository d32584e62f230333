/**
 * The pure logic of job schedulers: {@link dev.corral.broker.schedule.CronExpression} (cron-parser 5.10.3's
 * next times) and {@link dev.corral.broker.schedule.SchedulerPlanner} (what bullmq's upsertJobScheduler
 * computes in the client). No I/O; time is an argument. See docs/schedulers.md.
 */
package dev.corral.broker.schedule;
