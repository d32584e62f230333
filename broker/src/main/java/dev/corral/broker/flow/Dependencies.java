package dev.corral.broker.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A flow parent's children by outcome, named by their full job keys ({@code "<prefix>:<queue>:<id>"}), as
 * BullMQ's {@code job.getDependencies()} returns them.
 *
 * @param processed completed children and their return values ({@code :processed})
 * @param unprocessed children still pending ({@code :dependencies}), sorted
 * @param ignored children that failed with ignoreDependencyOnFailure or continueParentOnFailure, and their
 *     failed reasons ({@code :failed})
 * @param failed children that failed with failParentOnFailure, oldest failure first ({@code :unsuccessful})
 */
public record Dependencies(Map<String, JsonNode> processed, List<String> unprocessed, Map<String, String> ignored,
    List<String> failed) {

  /** Copies every collection. */
  public Dependencies {
    processed = Map.copyOf(processed);
    unprocessed = List.copyOf(unprocessed);
    ignored = Map.copyOf(ignored);
    failed = List.copyOf(failed);
  }
}
