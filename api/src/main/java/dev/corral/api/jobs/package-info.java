/** {@code /api/queues/{queue}/jobs} and {@code /api/idempotency}: adding, reading, listing and managing jobs. */
package dev.corral.api.jobs;
