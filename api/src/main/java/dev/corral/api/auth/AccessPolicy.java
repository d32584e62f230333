package dev.corral.api.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which roles may call which route: pure logic, no I/O. A request is allowed when it is public, when the
 * caller is {@link Role#ADMIN}, or when some rule matching its method and path lists the caller's role.
 * Everything else is denied, so routes added later are admin-only until a rule is added here.
 *
 * <p>Path patterns are {@code /}-separated segments: {@code *} matches one segment, a trailing {@code **}
 * matches zero or more segments. {@code HEAD} is treated as {@code GET}. Immutable; thread-safe.
 */
public final class AccessPolicy {

  /** One rule: these methods on paths matching this pattern are allowed for these roles. */
  record Rule(Set<String> methods, List<String> pattern, Set<Role> roles) {}

  private static final Set<Role> READERS = EnumSet.of(Role.OPERATOR, Role.SUBMITTER);

  private final List<Rule> rules;
  private final List<Rule> publicRules;

  private AccessPolicy(List<Rule> rules, List<Rule> publicRules) {
    this.rules = List.copyOf(rules);
    this.publicRules = List.copyOf(publicRules);
  }

  /**
   * Corral's policy for the routes of docs/api.md and the planned job, execution, worker and schema routes.
   *
   * @param protectHealth whether {@code /health}, {@code /metrics} and {@code /openapi} need a token (any role) instead of
   *     being open
   */
  public static AccessPolicy defaults(boolean protectHealth) {
    List<Rule> rules = new ArrayList<>();
    List<Rule> open = new ArrayList<>();
    Set<Role> all = EnumSet.allOf(Role.class);
    (protectHealth ? rules : open).addAll(List.of(
        rule("GET", "/health/**", all), rule("GET", "/metrics/**", all), rule("GET", "/openapi/**", all)));
    rules.add(rule("GET", "/api/queues/**", READERS));
    rules.add(rule("POST", "/api/queues/*/pause", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("POST", "/api/queues/*/resume", EnumSet.of(Role.OPERATOR)));
    // POST /api/queues/*/drain and /clean delete jobs in bulk: no rule, so admin only
    rules.add(rule("POST", "/api/queues/*/jobs", EnumSet.of(Role.SUBMITTER)));
    rules.add(rule("POST,DELETE", "/api/queues/*/jobs/*/**", EnumSet.of(Role.OPERATOR)));
    // a scheduler adds jobs (as a submission); deleting one stops a schedule (as deleting a job)
    rules.add(rule("PUT", "/api/queues/*/schedulers/*", EnumSet.of(Role.SUBMITTER)));
    rules.add(rule("DELETE", "/api/queues/*/schedulers/*", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("POST", "/api/executions", EnumSet.of(Role.SUBMITTER)));
    rules.add(rule("GET", "/api/executions/**", READERS));
    rules.add(rule("POST", "/api/executions/*/cancel", READERS));
    rules.add(rule("GET", "/api/idempotency/**", READERS));
    rules.add(rule("POST", "/api/workers/register", EnumSet.of(Role.WORKER)));
    rules.add(rule("POST", "/api/workers/*/heartbeat", EnumSet.of(Role.WORKER)));
    rules.add(rule("DELETE", "/api/workers/*", EnumSet.of(Role.WORKER)));
    rules.add(rule("GET", "/api/workers", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/workers/*", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/workers/*/commands", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/workers/*/commands/**", EnumSet.of(Role.WORKER))); // pending: takes them
    rules.add(rule("POST", "/api/workers/*/commands/*/ack", EnumSet.of(Role.WORKER)));
    rules.add(rule("POST", "/api/workers/*/commands", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("POST", "/api/workers/*/processes/**", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/stuck-history/**", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/statistics/**", EnumSet.of(Role.OPERATOR)));
    rules.add(rule("GET", "/api/schemas/**", all)); // PUT and DELETE: admin only (no rule)
    rules.add(rule("GET", "/api/stream", READERS)); // a submitter only with execution= (checked by the route)
    rules.add(rule("GET", "/api/stream/stats", EnumSet.of(Role.OPERATOR)));
    return new AccessPolicy(rules, open);
  }

  /** A rule for comma-separated {@code methods} on {@code pattern}. */
  static Rule rule(String methods, String pattern, Set<Role> roles) {
    return new Rule(Set.of(methods.split(",")), segments(pattern), Set.copyOf(roles));
  }

  /** Whether {@code method path} needs no token. */
  public boolean isPublic(String method, String path) {
    return matchesAny(publicRules, method, path);
  }

  /** Whether {@code role} may call {@code method path}. */
  public boolean permits(Role role, String method, String path) {
    return role == Role.ADMIN || allowedRoles(method, path).contains(role);
  }

  /** The roles that may call {@code method path} (always including {@link Role#ADMIN}). */
  public Set<Role> allowedRoles(String method, String path) {
    Set<Role> roles = EnumSet.of(Role.ADMIN);
    String m = normalizeMethod(method);
    List<String> segments = segments(path);
    for (Rule rule : rules) {
      if (rule.methods().contains(m) && matches(rule.pattern(), segments)) {
        roles.addAll(rule.roles());
      }
    }
    return roles;
  }

  private static boolean matchesAny(List<Rule> list, String method, String path) {
    String m = normalizeMethod(method);
    List<String> segments = segments(path);
    return list.stream().anyMatch(r -> r.methods().contains(m) && matches(r.pattern(), segments));
  }

  private static String normalizeMethod(String method) {
    String m = method.toUpperCase(Locale.ROOT);
    return m.equals("HEAD") ? "GET" : m;
  }

  /** The non-empty segments of {@code path}. */
  static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  /** Whether {@code path} segments match {@code pattern} segments. */
  static boolean matches(List<String> pattern, List<String> path) {
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.equals("**") && i == pattern.size() - 1) {
        return true;
      }
      if (i >= path.size() || !(p.equals("*") || p.equals(path.get(i)))) {
        return false;
      }
    }
    return pattern.size() == path.size();
  }
}
