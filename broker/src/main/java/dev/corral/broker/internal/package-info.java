/** Broker internals: argument checks and JSON. Not part of the public API. */
package dev.corral.broker.internal;
