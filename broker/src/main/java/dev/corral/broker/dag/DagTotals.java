package dev.corral.broker.dag;

/**
 * Node counts of one execution. Held nodes and released nodes no worker has taken yet are waiting.
 *
 * @param total every node
 * @param waiting held, or released and not yet taken by a worker
 * @param running released and taken by a worker, not finished
 * @param completed completed
 * @param failed failed for good
 * @param skipped skipped after a dependency failed under the skip policy
 * @param cancelled cancelled before they started
 */
public record DagTotals(int total, int waiting, int running, int completed, int failed, int skipped,
    int cancelled) {}
