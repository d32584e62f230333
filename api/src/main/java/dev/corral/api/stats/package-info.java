/** {@code /api/statistics}, and the Redis snapshot it shares with {@code /metrics}. */
package dev.corral.api.stats;
