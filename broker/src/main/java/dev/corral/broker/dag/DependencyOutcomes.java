package dev.corral.broker.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a DAG node's dependencies left for it, keyed by dependency node id (read by
 * {@link DagNodeReads#dependencies(String)}). Immutable.
 *
 * @param results return values (JSON) of the dependencies that completed
 * @param failures failed reasons of the dependencies that failed under {@link FailurePolicy#CONTINUE}
 */
public record DependencyOutcomes(Map<String, JsonNode> results, Map<String, String> failures) {

  /** A job that is not a DAG node, or a node without dependencies. */
  public static final DependencyOutcomes NONE = new DependencyOutcomes(Map.of(), Map.of());

  /** Copies the maps. */
  public DependencyOutcomes {
    results = Map.copyOf(results);
    failures = Map.copyOf(failures);
  }
}
