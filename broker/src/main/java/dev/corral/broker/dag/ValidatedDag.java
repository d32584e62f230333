package dev.corral.broker.dag;

import java.util.List;
import java.util.Map;

/**
 * A {@link DagSpec} that passed {@link DagValidator}, with what validation worked out on the way, so that
 * nothing is computed twice: each node's data as JSON and each node's dependents.
 *
 * @param spec the specification
 * @param dataJson node data as JSON text, by node index
 * @param dependents node id → ids of the nodes that depend on it, in node order (empty for a leaf)
 * @param dataBytes total UTF-8 size of all node data
 */
public record ValidatedDag(DagSpec spec, List<String> dataJson, Map<String, List<String>> dependents,
    long dataBytes) {}
