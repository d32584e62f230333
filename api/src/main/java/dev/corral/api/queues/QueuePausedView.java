package dev.corral.api.queues;

/**
 * The body of {@code POST /api/queues/{queue}/pause} and {@code /resume}, read back from Redis afterwards.
 *
 * @param name the queue name
 * @param paused whether the queue is now paused
 */
public record QueuePausedView(String name, boolean paused) {}
