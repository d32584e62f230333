/**
 * Process pool mode (docs/process-pool.md): {@link dev.corral.sdk.pool.PoolProcessor} runs each job in a child
 * process of a pool sized between a minimum and a maximum, speaking a JSON-lines protocol on stdin/stdout, so
 * jobs can be processed by programs in any language. {@link dev.corral.sdk.pool.ProcessPoolOptions} configures
 * it; {@link dev.corral.sdk.pool.PoolJobException} says why an attempt failed. The decisions (which process,
 * when to start, replace, stop) are in a pure planner apart from the process I/O.
 */
package dev.corral.sdk.pool;
