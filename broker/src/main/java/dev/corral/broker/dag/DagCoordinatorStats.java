package dev.corral.broker.dag;

/**
 * Counters of one {@link DagCoordinator} since it started (for metrics). A snapshot; immutable.
 *
 * @param eventsRead entries read from the followed queue event streams
 * @param eventsHandled {@code completed} / {@code failed} events for which the bookkeeping script ran
 * @param nodesFinishedByEvents nodes this coordinator finished from an event (not those handled inline by
 *     Corral's workers, nor by another coordinator)
 * @param nodesFinishedBySweep nodes its sweeps finished
 * @param sweeps sweeps completed
 * @param indexEntriesCleaned expired executions its sweeps removed from the index zsets
 * @param errors errors the loops survived (then retried)
 */
public record DagCoordinatorStats(
    long eventsRead,
    long eventsHandled,
    long nodesFinishedByEvents,
    long nodesFinishedBySweep,
    long sweeps,
    long indexEntriesCleaned,
    long errors) {}
