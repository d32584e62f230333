package dev.corral.broker.flow;

/**
 * How many children of a flow parent are in each outcome, as BullMQ's {@code job.getDependenciesCount()}.
 *
 * @param processed completed children
 * @param unprocessed pending children
 * @param ignored children failed with ignoreDependencyOnFailure or continueParentOnFailure
 * @param failed children failed with failParentOnFailure
 */
public record DependencyCounts(long processed, long unprocessed, long ignored, long failed) {}
