package dev.corral.api.schemas;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;
import java.util.List;

/**
 * The validator's loader for schemas outside the document being compiled: only the meta-schemas of
 * {@code json-schema.org}, which the library ships on its classpath. Any other {@code $ref} target (http,
 * https, file, classpath, ...) is refused with {@link RefNotAllowedException}, so the server never fetches
 * a schema from the network or reads one from its own class path or disk. Thread-safe.
 */
final class LocalOnlySchemaLoader extends SchemaLoader {

  private static final List<String> META_SCHEMA_PREFIXES = List.of("https://json-schema.org/",
      "http://json-schema.org/");

  LocalOnlySchemaLoader() {
    super(List.of(), List.of());
  }

  @Override
  public InputStreamSource getSchemaResource(AbsoluteIri absoluteIri) {
    String iri = absoluteIri == null ? "" : absoluteIri.toString();
    if (META_SCHEMA_PREFIXES.stream().anyMatch(iri::startsWith)) {
      return super.getSchemaResource(absoluteIri);
    }
    throw new RefNotAllowedException(iri);
  }

  /** A reference to a schema outside the document (and not a bundled meta-schema). */
  static final class RefNotAllowedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RefNotAllowedException(String iri) {
      super("$ref '" + iri + "' points outside the schema document; the server never loads schemas from "
          + "the network, files or its class path: put the referenced schema under $defs and use a local "
          + "reference such as '#/$defs/name'", null, false, false);
    }
  }
}
