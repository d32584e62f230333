/** {@code /api/queues/{queue}}: a queue's job counts and meta, and pausing or resuming it. */
package dev.corral.api.queues;
