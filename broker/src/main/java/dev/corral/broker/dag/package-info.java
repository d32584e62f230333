/**
 * DAG executions (docs/dag.md): a graph of jobs where a node may depend on several nodes, every node an
 * ordinary BullMQ job in its queue.
 *
 * <ul>
 *   <li>Model and validation, pure: {@link dev.corral.broker.dag.Dag} (builder), {@link dev.corral.broker.dag.DagSpec},
 *       {@link dev.corral.broker.dag.DagNode}, {@link dev.corral.broker.dag.DagValidator} (reports every problem in a
 *       {@link dev.corral.broker.dag.DagValidationException}).</li>
 *   <li>Redis: {@link dev.corral.broker.dag.DagExecutions} submits (one atomic script), reads, lists and cancels
 *       executions; nodes are released exactly once by the {@code dagNodeFinished} Lua function, run inline
 *       when a job finishes.</li>
 *   <li>Nodes finished outside Corral (Node BullMQ workers): {@link dev.corral.broker.dag.DagCoordinator} follows
 *       the node queues' event streams and runs {@link dev.corral.broker.dag.DagSweeper}, the reconciliation sweep
 *       that guarantees progress when an event was never read.</li>
 *   <li>For a node's processor: {@link dev.corral.broker.dag.DagNodeReads} (its dependencies' outcomes by node
 *       id, its execution's status).</li>
 * </ul>
 */
package dev.corral.broker.dag;
