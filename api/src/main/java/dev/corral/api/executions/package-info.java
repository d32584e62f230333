/** {@code /api/executions}: submitting, reading, listing and cancelling DAG executions (docs/dag.md). */
package dev.corral.api.executions;
