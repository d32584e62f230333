package dev.corral.api.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The JSON answers of {@code /api/schemas}. */
public final class SchemaView {

  private SchemaView() {}

  /**
   * One schema with its document ({@code GET /api/schemas/{jobName}}).
   *
   * @param jobName the job name
   * @param version the SHA-256 of the stored document
   * @param updatedAt when it was last put (epoch ms)
   * @param sizeBytes the stored document's size
   * @param dialect the {@code $schema} it is read with
   * @param schema the document
   */
  public record Full(String jobName, String version, long updatedAt, int sizeBytes, String dialect,
      JsonNode schema) {}

  /**
   * One schema without its document (the list, and the answer to a put).
   *
   * @param jobName the job name
   * @param version the SHA-256 of the stored document
   * @param updatedAt when it was last put (epoch ms)
   * @param sizeBytes the stored document's size
   * @param dialect the {@code $schema} it is read with
   * @param created on a put: whether the job name had no schema before; {@code null} (left out) in the list
   */
  public record Summary(String jobName, String version, long updatedAt, int sizeBytes, String dialect,
      Boolean created) {

    /** The list entry of {@code jobName}. */
    public static Summary of(String jobName, SchemaInfo info, Boolean created) {
      return new Summary(jobName, info.version(), info.updatedAt(), info.sizeBytes(), info.dialect(), created);
    }
  }

  /**
   * Every schema, sorted by job name.
   *
   * @param schemas the schemas
   * @param total how many
   */
  public record Page(List<Summary> schemas, int total) {}
}
