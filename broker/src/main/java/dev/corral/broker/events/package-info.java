/**
 * Reading a queue's events stream ({@code <prefix>:<queue>:events}), as BullMQ's {@code QueueEvents} does:
 * {@link dev.corral.broker.events.QueueEvents} tails the stream on its own named connection and hands typed
 * {@link dev.corral.broker.events.QueueEvent}s to listeners.
 */
package dev.corral.broker.events;
