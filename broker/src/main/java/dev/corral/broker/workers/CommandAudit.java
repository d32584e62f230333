package dev.corral.broker.workers;

/**
 * One entry of a worker's audit list: a command and how it ended.
 *
 * @param command the command
 * @param takenAt when the worker read it (ms; 0 when never read)
 * @param ackedAt when it was acknowledged (ms)
 * @param outcome how it ended
 * @param detail what happened, in words
 */
public record CommandAudit(WorkerCommand command, long takenAt, long ackedAt, CommandOutcome outcome,
    String detail) {}
