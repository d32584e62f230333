package dev.corral.api.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.DialectId;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.PatternSyntaxException;

/**
 * Checks and compiles job schemas with networknt's json-schema-validator. Two dialects, chosen by
 * {@code $schema}: draft 2020-12 ({@value #DRAFT_2020_12}, also the default when {@code $schema} is absent)
 * and draft-07 ({@value #DRAFT_7}, with or without the final {@code #}). A document is accepted when it
 * conforms to its dialect's meta-schema and compiles with every {@code $ref} resolved inside the document
 * ({@link LocalOnlySchemaLoader}: nothing is fetched). {@code format} follows each dialect's rule (an
 * annotation in 2020-12, checked in draft-07); messages are in English. Thread-safe.
 */
public final class SchemaCompiler {

  /** The draft 2020-12 dialect id, the default. */
  public static final String DRAFT_2020_12 = DialectId.DRAFT_2020_12;

  /** The draft-07 dialect id. */
  public static final String DRAFT_7 = DialectId.DRAFT_7;

  private static final Map<String, String> DIALECTS = Map.of(
      DRAFT_2020_12, DRAFT_2020_12, DRAFT_2020_12 + "#", DRAFT_2020_12,
      DRAFT_7, DRAFT_7, DRAFT_7.substring(0, DRAFT_7.length() - 1), DRAFT_7);

  private final SchemaRegistry registry;
  private final Map<String, Schema> metaSchemas = new ConcurrentHashMap<>();

  /** A compiler with its own schema registry (meta-schemas are loaded once, on first use). */
  public SchemaCompiler() {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .preloadSchema(false) // compile() resolves every $ref itself and reports the failure
        .locale(Locale.ENGLISH)
        .pathType(PathType.JSON_POINTER)
        .build();
    this.registry = SchemaRegistry.withDialects(List.of(Dialects.getDraft202012(), Dialects.getDraft7()),
        builder -> builder.schemaRegistryConfig(config).schemaLoader(new LocalOnlySchemaLoader()));
  }

  /**
   * The dialect {@code document} is read with: its {@code $schema} in canonical form, or
   * {@value #DRAFT_2020_12} when it has none.
   *
   * @throws ApiException 400 naming {@code $schema} for any other value
   */
  public static String dialect(JsonNode document) {
    JsonNode declared = document.get("$schema");
    if (declared == null) {
      return DRAFT_2020_12;
    }
    String dialect = declared.isTextual() ? DIALECTS.get(declared.asText()) : null;
    if (dialect == null) {
      throw ApiException.invalid(List.of(new FieldError("$schema", null, "unsupported $schema " + declared
          + "; use " + DRAFT_2020_12 + " (the default) or " + DRAFT_7, "/$schema")));
    }
    return dialect;
  }

  /**
   * Checks that {@code document} is a schema this server accepts and compiles it.
   *
   * @param jobName the job name it is for
   * @param document the schema document (a JSON object)
   * @param version its version ({@link SchemaInfo#version()})
   * @throws ApiException 400 listing every problem, each with its JSON pointer in the document
   */
  public JobSchema check(String jobName, JsonNode document, String version) {
    String dialect = dialect(document);
    List<Error> metaErrors = metaSchema(dialect).validate(document);
    if (!metaErrors.isEmpty()) {
      throw ApiException.invalid(Violations.of(metaErrors, Violations.Base.BODY));
    }
    return compile(jobName, document, version);
  }

  /**
   * Compiles {@code document} and resolves its references; for documents already {@link #check checked} (read
   * back from Redis) as well as new ones.
   *
   * @throws ApiException 400 when it does not compile or a {@code $ref} cannot be resolved within it
   */
  public JobSchema compile(String jobName, JsonNode document, String version) {
    try {
      Schema schema = registry.getSchema(document);
      schema.initializeValidators();
      return new JobSchema(jobName, version, schema);
    } catch (RuntimeException e) { // untrusted input: whatever the library throws is the document's problem
      throw ApiException.invalid(List.of(new FieldError("body", null, compileProblem(e), "")));
    }
  }

  private Schema metaSchema(String dialect) {
    return metaSchemas.computeIfAbsent(dialect, id -> {
      Schema meta = registry.getSchema(SchemaLocation.of(id));
      meta.initializeValidators();
      return meta;
    });
  }

  /** The message for a compile failure: the refused $ref if that is the cause, else the library's message. */
  static String compileProblem(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LocalOnlySchemaLoader.RefNotAllowedException refused) {
        return refused.getMessage();
      }
      if (t instanceof PatternSyntaxException bad) {
        return "pattern '" + bad.getPattern() + "' is not a valid regular expression: " + bad.getDescription()
            + " at index " + bad.getIndex();
      }
    }
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return "the schema does not compile: " + message;
  }
}
