/**
 * {@code /api/queues}: the queues of the prefix (found by {@code SCAN}), one queue's counts, priorities, job-name
 * sample, workers and meta, and pausing, resuming, draining and cleaning it.
 */
package dev.corral.api.queues;
