package dev.corral.api.stream;

import dev.corral.api.auth.Role;
import dev.corral.api.errors.ApiException;
import dev.corral.broker.keys.QueueKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one client of {@code GET /api/stream} asked for: event types, queues, executions, workers, and where to
 * resume. Parsing answers 400 naming the parameter; {@link #matches} is what the hub fans out by. Pure; immutable.
 *
 * @param types the event types wanted ({@code heartbeat}, {@code queue}, {@code execution})
 * @param queues the queues whose events to follow (required for queue events)
 * @param executions only these executions' events (empty = every execution)
 * @param workers only these workers' heartbeats (empty = every worker)
 * @param since replay stored stream entries after this id first ({@code Last-Event-ID} or {@code since=}), or null
 */
public record StreamFilter(Set<String> types, Set<String> queues, Set<String> executions, Set<String> workers,
    String since) {

  /** The event types. */
  public static final List<String> TYPES = List.of("heartbeat", "queue", "execution");

  /** Most queues one stream may follow. */
  public static final int MAX_QUEUES = 50;

  /** Most executions or workers one stream may filter on. */
  public static final int MAX_IDS = 100;

  private static final Set<String> PARAMS = Set.of("types", "queue", "execution", "worker", "since");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Copies the sets. */
  public StreamFilter {
    types = Set.copyOf(types);
    queues = Set.copyOf(queues);
    executions = Set.copyOf(executions);
    workers = Set.copyOf(workers);
  }

  /**
   * Parses the query.
   *
   * @param query every query parameter with all its values (each value may be a comma list)
   * @param lastEventId the {@code Last-Event-ID} header, or null; wins over {@code since=}
   * @param role the caller's role, or null without authentication: a submitter may only follow executions it names
   */
  public static StreamFilter parse(Map<String, List<String>> query, String lastEventId, Role role) {
    for (String name : query.keySet()) {
      if (!PARAMS.contains(name)) {
        throw ApiException.invalid(name, "unknown parameter '" + name + "'; parameters are types, queue, "
            + "execution, worker, since");
      }
    }
    Set<String> queues = values(query, "queue");
    Set<String> executions = values(query, "execution");
    Set<String> workers = values(query, "worker");
    Set<String> types = values(query, "types");
    boolean explicitTypes = !types.isEmpty();
    for (String t : types) {
      if (!TYPES.contains(t)) {
        throw ApiException.invalid("types", "unknown type '" + t + "'; types are heartbeat, queue, execution");
      }
    }
    if (!explicitTypes) {
      types = new LinkedHashSet<>(TYPES);
      if (queues.isEmpty()) {
        types.remove("queue"); // no queue named: nothing to follow
      }
      if (role == Role.SUBMITTER) {
        types.retainAll(Set.of("execution"));
      }
    }
    check(queues.size() <= MAX_QUEUES, "queue", "at most " + MAX_QUEUES + " queues, was " + queues.size());
    for (String q : queues) {
      try {
        new QueueKeys(QueueKeys.DEFAULT_PREFIX, q);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("queue", e.getMessage());
      }
    }
    ids("execution", executions);
    ids("worker", workers);
    check(!types.contains("queue") || !queues.isEmpty(), "queue", "queue= names the queues whose events to follow "
        + "(required with types=queue)");
    check(queues.isEmpty() || types.contains("queue"), "queue", "queue= needs types to include queue");
    check(executions.isEmpty() || types.contains("execution"), "execution",
        "execution= needs types to include execution");
    check(workers.isEmpty() || types.contains("heartbeat"), "worker", "worker= needs types to include heartbeat");
    String since = lastEventId != null ? lastEventId.strip() : last(query, "since");
    String sinceField = lastEventId != null ? "Last-Event-ID" : "since";
    check(since == null || StreamIds.isValid(since), sinceField, sinceField
        + " must be a stream id like 1764620000000-0 (or milliseconds), was '" + since + "'");
    if (role == Role.SUBMITTER && (executions.isEmpty() || !Set.of("execution").containsAll(types))) {
      throw ApiException.forbidden("role submitter may only stream the progress of executions it names: "
          + "GET /api/stream?execution=<id>[&types=execution]");
    }
    return new StreamFilter(types, queues, executions, workers, since == null ? null : StreamIds.normalize(since));
  }

  /** Whether the client wants {@code type}. */
  public boolean wants(String type) {
    return types.contains(type);
  }

  /** Whether {@code e} goes to this client. */
  public boolean matches(StreamEvent e) {
    return switch (e.type()) {
      case "heartbeat" -> wants("heartbeat") && (workers.isEmpty() || workers.contains(e.workerId()));
      case "queue" -> wants("queue") && queues.contains(e.queue());
      case "execution" -> wants("execution") && (executions.isEmpty() || executions.contains(e.executionId()));
      default -> false;
    };
  }

  /** The source keys ({@link StreamHub}) this client needs. */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    if (wants("heartbeat")) {
      out.add(StreamHub.HEARTBEATS);
    }
    if (wants("execution")) {
      out.add(StreamHub.EXECUTIONS);
    }
    if (wants("queue")) {
      queues.stream().sorted().forEach(q -> out.add(StreamHub.queueSource(q)));
    }
    return out;
  }

  private static Set<String> values(Map<String, List<String>> query, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : query.getOrDefault(name, List.of())) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  private static String last(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1).strip();
  }

  private static void ids(String field, Set<String> ids) {
    check(ids.size() <= MAX_IDS, field, "at most " + MAX_IDS + " " + field + " ids, was " + ids.size());
    for (String id : ids) {
      check(ID.matcher(id).matches(), field, field + " ids are 1 to 128 characters of [A-Za-z0-9._-], was '"
          + id + "'");
    }
  }

  private static void check(boolean ok, String field, String message) {
    if (!ok) {
      throw ApiException.invalid(field, message);
    }
  }
}
