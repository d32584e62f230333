/**
 * {@code GET /api/stream}: Server-Sent Events of worker heartbeats, queue events and DAG execution progress.
 *
 * <p>Pure: {@link dev.corral.api.stream.StreamFilter} (query parsing and matching), {@link dev.corral.api.stream.Sse}
 * (the text/event-stream format), {@link dev.corral.api.stream.StreamIds}, {@link dev.corral.api.stream.Subscriber}
 * (a bounded per-client buffer). I/O: {@link dev.corral.api.stream.StreamHub} runs one shared reader per source
 * (the heartbeats channel, each queue's events stream, the DAG stream) while some subscriber needs it, and
 * {@link dev.corral.api.stream.StreamService} writes one client's stream.
 */
package dev.corral.api.stream;
