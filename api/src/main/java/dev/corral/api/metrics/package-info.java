/**
 * {@code /metrics} in the Prometheus text format 0.0.4, written by our own small code: gauges read from Redis
 * at each scrape, and the HTTP and command counters this instance keeps ({@link dev.corral.api.metrics.ApiMetrics}).
 */
package dev.corral.api.metrics;
