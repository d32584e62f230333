package dev.corral.api.schemas;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import dev.corral.broker.dag.DagNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Validates submitted job data against the schema of its job name, with this instance's cache of compiled
 * schemas. The cache is never trusted on its own: every check first reads the current versions of the job
 * names concerned from Redis (one HMGET of short values, also when no name has a schema), and recompiles the
 * ones whose version changed. So a schema put or deleted through any instance applies to the very next
 * submission on every instance, and a document is compiled once per version per instance. Thread-safe.
 */
public final class JobSchemas {

  /** Most violations listed in one 400; the rest are counted in a last entry. */
  public static final int MAX_VIOLATIONS = 100;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final SchemaStore store;
  private final SchemaCompiler compiler;
  private final ConcurrentMap<String, JobSchema> cache = new ConcurrentHashMap<>();

  /** Validation with the schemas of {@code store}, compiled by {@code compiler}. */
  public JobSchemas(SchemaStore store, SchemaCompiler compiler) {
    this.store = store;
    this.compiler = compiler;
  }

  /**
   * Checks the data of one job.
   *
   * @throws ApiException 400 listing every violation, each with its pointer under {@code /data}
   */
  public void checkJob(String jobName, JsonNode data) {
    JobSchema schema = current(Set.of(jobName)).get(jobName);
    if (schema != null) {
      throwIfAny(schema.violations(data, Violations.Base.JOB_DATA));
    }
  }

  /**
   * Checks the data of every node of an execution against the schema of the node's job name.
   *
   * @throws ApiException 400 listing every violation, each with its pointer under {@code /nodes/<i>/data}
   *     and its node id
   */
  public void checkNodes(List<DagNode> nodes) {
    Set<String> names = new HashSet<>();
    nodes.forEach(n -> names.add(n.jobName()));
    Map<String, JobSchema> schemas = current(names);
    if (schemas.isEmpty()) {
      return;
    }
    List<FieldError> violations = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      DagNode node = nodes.get(i);
      JobSchema schema = schemas.get(node.jobName());
      if (schema != null) {
        violations.addAll(schema.violations(data(node.data()), Violations.Base.nodeData(i, node.id())));
      }
    }
    throwIfAny(violations);
  }

  /** The current compiled schemas of those of {@code jobNames} that have one. */
  Map<String, JobSchema> current(Collection<String> jobNames) {
    Map<String, SchemaInfo> infos = store.infos(jobNames);
    Map<String, JobSchema> out = new HashMap<>();
    List<String> stale = new ArrayList<>();
    for (String name : jobNames) {
      SchemaInfo info = infos.get(name);
      JobSchema cached = cache.get(name);
      if (info == null) {
        cache.remove(name);
      } else if (cached != null && cached.version().equals(info.version())) {
        out.put(name, cached);
      } else {
        stale.add(name);
      }
    }
    store.documents(stale).forEach((name, document) -> {
      JobSchema fresh;
      try {
        fresh = compiler.compile(name, parse(document), SchemaInfo.versionOf(document));
      } catch (ApiException e) { // it compiled when it was put: a server-side problem, not the submitter's
        throw new IllegalStateException("the stored schema of job name '" + name + "' no longer compiles: "
            + e.getMessage(), e);
      }
      cache.put(name, fresh);
      out.put(name, fresh);
    });
    return out;
  }

  /** Drops the cached schema of {@code jobName} (after a put or delete through this instance). */
  public void forget(String jobName) {
    cache.remove(jobName);
  }

  /** A node's data as validated: what is stored, so {@code null} is {@code {}}. */
  private static JsonNode data(Object data) {
    if (data == null) {
      return JSON.createObjectNode();
    }
    return data instanceof JsonNode node ? node : JSON.valueToTree(data);
  }

  private static JsonNode parse(String document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable stored schema", e);
    }
  }

  private static void throwIfAny(List<FieldError> violations) {
    if (violations.isEmpty()) {
      return;
    }
    if (violations.size() > MAX_VIOLATIONS) {
      List<FieldError> listed = new ArrayList<>(violations.subList(0, MAX_VIOLATIONS));
      listed.add(FieldError.of("data", (violations.size() - MAX_VIOLATIONS) + " more schema violations not listed"));
      violations = listed;
    }
    throw ApiException.invalid(violations);
  }
}
