/** Worker internals: retry decisions, failure encoding, the fetch loop. Not part of the public API. */
package dev.corral.sdk.internal;
