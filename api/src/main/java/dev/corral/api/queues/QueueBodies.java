package dev.corral.api.queues;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Problems;
import dev.corral.broker.JobState;
import java.util.Map;
import java.util.Set;

/** The bodies of {@code POST /api/queues/{queue}/drain} and {@code /clean}, parsed and checked. Pure. */
public final class QueueBodies {

  /** Largest {@code limit} of one clean call. */
  public static final int MAX_CLEAN_LIMIT = 10_000;

  /** {@code limit} when the clean body has none. */
  public static final int DEFAULT_CLEAN_LIMIT = 1000;

  /** Largest {@code grace_ms}: ten years. */
  public static final long MAX_GRACE_MS = 10L * 366 * 24 * 3_600_000;

  /** The {@code state} values clean accepts, as the broker's {@code Queue.clean} supports them. */
  static final Map<String, JobState> CLEAN_STATES = Map.of("completed", JobState.COMPLETED, "failed",
      JobState.FAILED, "wait", JobState.WAITING, "waiting", JobState.WAITING, "delayed", JobState.DELAYED,
      "prioritized", JobState.PRIORITIZED, "paused", JobState.PAUSED, "active", JobState.ACTIVE);

  private static final String STATES_TEXT = "completed, failed, wait, delayed, prioritized, paused, active";

  private QueueBodies() {}

  /**
   * A clean request.
   *
   * @param graceMs only jobs older than this are deleted
   * @param limit most jobs deleted by this call
   * @param state the state whose jobs are deleted
   */
  public record Clean(long graceMs, int limit, JobState state) {}

  /**
   * The optional drain body: {@code {"delayed": bool}}; no body means {@code delayed = false}.
   *
   * @return whether delayed jobs are drained too
   * @throws dev.corral.api.errors.ApiException 400 naming the field
   */
  public static boolean drainDelayed(byte[] body) {
    if (body == null || body.length == 0) {
      return false;
    }
    JsonNode node = Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", Set.of("delayed"), null);
    Boolean delayed = problems.bool(node, "", "delayed", null);
    problems.throwIfAny();
    return Boolean.TRUE.equals(delayed);
  }

  /**
   * The clean body: {@code state} and {@code grace_ms} required, {@code limit} 1..{@value #MAX_CLEAN_LIMIT}
   * (default {@value #DEFAULT_CLEAN_LIMIT}).
   *
   * @throws dev.corral.api.errors.ApiException 400 listing every problem, each naming its field
   */
  public static Clean clean(byte[] body) {
    JsonNode node = Bodies.object(body);
    Problems problems = new Problems();
    problems.unknownFields(node, "", Set.of("grace_ms", "limit", "state"), null);
    Long grace = problems.integer(node, "", "grace_ms", 0, MAX_GRACE_MS, null);
    if (grace == null && Problems.field(node, "grace_ms") == null) {
      problems.add("grace_ms", "grace_ms is required (0 = every job, whatever its age)");
    }
    Long limit = problems.integer(node, "", "limit", 1, MAX_CLEAN_LIMIT, null);
    String stateName = problems.string(node, "", "state", null);
    JobState state = null;
    if (stateName == null && !problems.has("state")) {
      problems.add("state", "state is required: one of " + STATES_TEXT);
    } else if (stateName != null) {
      state = CLEAN_STATES.get(stateName);
      if (state == null) {
        problems.add("state", "state must be one of " + STATES_TEXT + ", was '" + stateName + "'");
      }
    }
    problems.throwIfAny();
    return new Clean(grace, limit == null ? DEFAULT_CLEAN_LIMIT : limit.intValue(), state);
  }
}
