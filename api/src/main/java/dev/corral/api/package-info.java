/**
 * Corral's HTTP API server: {@link dev.corral.api.Main} reads the configuration, connects to Redis (or starts
 * the embedded one) and serves the routes of {@link dev.corral.api.Main#routing}.
 */
package dev.corral.api;
