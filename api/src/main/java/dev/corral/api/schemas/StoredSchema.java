package dev.corral.api.schemas;

/**
 * One job name's schema as stored in Redis.
 *
 * @param jobName the job name
 * @param document the schema document (compact JSON)
 * @param info its version, update time, size and dialect
 */
public record StoredSchema(String jobName, String document, SchemaInfo info) {}
