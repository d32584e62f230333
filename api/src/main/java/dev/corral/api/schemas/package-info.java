/**
 * {@code /api/schemas}: a JSON Schema per job name, stored in Redis and shared by every API instance, and the
 * validation of job data submitted through the API ({@code POST /api/queues/{q}/jobs}, every node of
 * {@code POST /api/executions}) against it.
 */
package dev.corral.api.schemas;
