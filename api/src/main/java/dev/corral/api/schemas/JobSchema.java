package dev.corral.api.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.corral.api.errors.FieldError;
import java.util.List;

/**
 * The compiled schema of one job name, at one version. Thread-safe: validating runs with its own context.
 *
 * @param jobName the job name
 * @param version the stored document's version ({@link SchemaInfo#version()})
 * @param schema the compiled schema, its references resolved
 */
public record JobSchema(String jobName, String version, Schema schema) {

  /** Every violation of {@code data}, located under {@code base}; empty when it conforms. */
  public List<FieldError> violations(JsonNode data, Violations.Base base) {
    return Violations.of(schema.validate(data), base);
  }
}
