/** Redis key names of a queue, exactly as BullMQ 6.7.0 names them. Pure; no I/O. */
package dev.corral.broker.keys;
