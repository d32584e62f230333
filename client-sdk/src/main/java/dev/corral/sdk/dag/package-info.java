/**
 * DAG executions for pipeline authors (docs/dag.md, "The SDK"): {@link dev.corral.sdk.dag.DagClient} builds
 * and submits executions with the broker's builder ({@link dev.corral.sdk.dag.DagSubmission}), reads, lists
 * and cancels them, and waits for their end on the DAG event stream. The nodes are processed by ordinary
 * {@link dev.corral.sdk.Worker}s, whose {@link dev.corral.sdk.JobContext} gives a node its dependencies'
 * results by node id and a cancellation signal when its execution fails or is cancelled.
 */
package dev.corral.sdk.dag;
