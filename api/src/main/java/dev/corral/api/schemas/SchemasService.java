package dev.corral.api.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Requests;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Job schemas under {@code /api/schemas}: put ({@code PUT /{jobName}}, the body is the JSON Schema document),
 * get, delete and list. The document is checked and compiled by {@link SchemaCompiler} before it is stored in
 * {@link SchemaStore}. Thread-safe.
 */
public final class SchemasService implements HttpService {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final SchemaStore store;
  private final SchemaCompiler compiler;
  private final JobSchemas schemas;
  private final Clock clock;

  /** The resource over {@code store}; {@code schemas} is told of changes made here; times come from {@code clock}. */
  public SchemasService(SchemaStore store, SchemaCompiler compiler, JobSchemas schemas, Clock clock) {
    this.store = store;
    this.compiler = compiler;
    this.schemas = schemas;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .get("/{name}", this::get)
        .put("/{name}", this::put)
        .delete("/{name}", this::delete)
        .any("/", MethodNotAllowedException.handler("GET"))
        .any("/{name}", MethodNotAllowedException.handler("GET, PUT, DELETE"));
  }

  private void put(ServerRequest req, ServerResponse res) {
    String name = name(req);
    JsonNode document = Bodies.object(Requests.body(req));
    String compact = document.toString();
    String dialect = SchemaCompiler.dialect(document);
    SchemaInfo info = SchemaInfo.of(compact, dialect, clock.millis());
    compiler.check(name, document, info.version());
    boolean created = store.put(name, compact, info);
    schemas.forget(name);
    if (created) {
      res.header(HeaderNames.LOCATION, SchemaNames.path(name));
    }
    res.status(created ? Status.CREATED_201 : Status.OK_200).send(SchemaView.Summary.of(name, info, created));
  }

  private void get(ServerRequest req, ServerResponse res) {
    String name = name(req);
    StoredSchema stored = store.get(name).orElseThrow(() -> notFound(name));
    SchemaInfo info = stored.info();
    res.header(HeaderNames.ETAG, "\"" + info.version() + "\"");
    res.send(new SchemaView.Full(name, info.version(), info.updatedAt(), info.sizeBytes(), info.dialect(),
        parse(stored.document())));
  }

  private void delete(ServerRequest req, ServerResponse res) {
    String name = name(req);
    if (!store.delete(name)) {
      throw notFound(name);
    }
    schemas.forget(name);
    res.send(Map.of("job_name", name, "deleted", true));
  }

  private void list(ServerRequest req, ServerResponse res) {
    List<SchemaView.Summary> list = store.list().entrySet().stream()
        .map(e -> SchemaView.Summary.of(e.getKey(), e.getValue(), null)).toList();
    res.send(new SchemaView.Page(list, list.size()));
  }

  private static String name(ServerRequest req) {
    return SchemaNames.check(req.path().pathParameters().get("name"));
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("job name '" + name + "' has no schema");
  }

  private static JsonNode parse(String document) {
    try {
      return JSON.readTree(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored schema: " + e.getOriginalMessage(), e);
    }
  }
}
