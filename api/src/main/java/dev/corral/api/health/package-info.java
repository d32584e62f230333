/** {@code GET /health}: version, uptime, instance and leadership, Redis, components, workers and capacity. */
package dev.corral.api.health;
