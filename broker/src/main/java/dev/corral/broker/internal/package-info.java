/** Broker internals (dedicated connections). Not part of the public API; other modules must not use it. */
package dev.corral.broker.internal;
