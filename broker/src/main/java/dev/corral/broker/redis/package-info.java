/** A local Redis server process for the embedded default and for tests. */
package dev.corral.broker.redis;
