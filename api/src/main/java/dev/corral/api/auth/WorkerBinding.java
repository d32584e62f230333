package dev.corral.api.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worker ids a {@link Role#WORKER} token may act as: {@link #ANY} for an unbound token ({@code worker:<token>}),
 * or one or more patterns from {@code worker@<pattern>[+<pattern>...]:<token>}, each an exact worker id
 * ({@code py-1}) or a prefix ending in {@code *} ({@code py-*}). Pure and immutable; thread-safe.
 *
 * @param patterns the patterns, empty for {@link #ANY}
 */
public record WorkerBinding(List<String> patterns) {

  /** An unbound worker token: it may act for every worker id. */
  public static final WorkerBinding ANY = new WorkerBinding(List.of());

  private static final Pattern ONE = Pattern.compile("[A-Za-z0-9._-]{1,128}\\*?");

  /** Copies the patterns. */
  public WorkerBinding {
    patterns = List.copyOf(patterns);
  }

  /**
   * Parses the part after {@code worker@}.
   *
   * @throws IllegalArgumentException describing what is wrong (never echoing a token)
   */
  public static WorkerBinding parse(String spec) {
    if (spec == null || spec.isEmpty()) {
      throw new IllegalArgumentException("worker@ must be followed by a worker id or a prefix ending in *, "
          + "e.g. worker@py-1:<token> or worker@py-*:<token>");
    }
    List<String> out = new ArrayList<>();
    for (String p : spec.split("\\+", -1)) {
      if (!ONE.matcher(p).matches()) {
        throw new IllegalArgumentException("worker binding '" + p + "' must be a worker id ([A-Za-z0-9._-], 1 to "
            + "128 characters) optionally ending in * (a prefix); separate several with +; an unbound token is "
            + "written worker:<token>");
      }
      out.add(p);
    }
    return new WorkerBinding(out);
  }

  /** Whether this is the unbound {@link #ANY}. */
  public boolean isAny() {
    return patterns.isEmpty();
  }

  /** Whether the token may act as worker {@code workerId}. */
  public boolean permits(String workerId) {
    if (isAny()) {
      return true;
    }
    if (workerId == null) {
      return false;
    }
    for (String p : patterns) {
      if (p.endsWith("*") ? workerId.startsWith(p.substring(0, p.length() - 1)) : p.equals(workerId)) {
        return true;
      }
    }
    return false;
  }

  /** The single exact worker id of a binding to exactly one id (no prefix), e.g. for a default {@code worker_id}. */
  public Optional<String> singleId() {
    return patterns.size() == 1 && !patterns.get(0).endsWith("*") ? Optional.of(patterns.get(0)) : Optional.empty();
  }

  /**
   * The worker id a worker route acts for, from its method and path; empty when the path names none:
   * {@code POST /api/workers/register} (the id is in the body) and paths outside {@code /api/workers/{id}}.
   */
  public static Optional<String> workerIdOfPath(String method, String path) {
    List<String> s = AccessPolicy.segments(path);
    if (s.size() < 3 || !s.get(0).equals("api") || !s.get(1).equals("workers")) {
      return Optional.empty();
    }
    if (s.size() == 3 && s.get(2).equals("register") && method.equalsIgnoreCase("POST")) {
      return Optional.empty();
    }
    return Optional.of(s.get(2));
  }

  /** How the binding reads in messages, e.g. {@code py-*} or {@code a-1+b-*}; {@code *} for {@link #ANY}. */
  public String describe() {
    return isAny() ? "*" : String.join("+", patterns);
  }
}
