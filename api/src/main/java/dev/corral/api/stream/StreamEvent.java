package dev.corral.api.stream;

/**
 * One event for the stream's clients.
 *
 * @param type heartbeat, queue or execution (the SSE {@code event:} name)
 * @param id the Redis stream entry id, or {@code null} (heartbeats come from pub/sub and have none)
 * @param source the source key ({@link StreamHub#HEARTBEATS}, {@link StreamHub#EXECUTIONS} or {@code queue:<name>})
 * @param queue the queue of a queue event, else {@code null}
 * @param executionId the execution of an execution event, else {@code null}
 * @param workerId the worker of a heartbeat, else {@code null}
 * @param data the JSON text sent as {@code data:}
 */
public record StreamEvent(String type, String id, String source, String queue, String executionId, String workerId,
    String data) {}
