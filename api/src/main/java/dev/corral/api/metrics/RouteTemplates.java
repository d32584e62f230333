package dev.corral.api.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Maps a request path to the route template it is served by ({@code /api/queues/emails/jobs/7} →
 * {@code /api/queues/{queue}/jobs/{id}}), so HTTP metrics have one series per route, not per path. A path no
 * route serves maps to {@value #OTHER}, which keeps the label set bounded whatever clients send. Literal
 * segments win over parameters ({@code /api/workers/register} is not {@code /api/workers/{id}}) because
 * templates are tried in order. Pure; immutable; thread-safe.
 */
public final class RouteTemplates {

  /** The route label of a path no route serves. */
  public static final String OTHER = "other";

  /** Every route of docs/api.md, literal routes before the parameterised ones they overlap. */
  public static final List<String> TEMPLATES = List.of(
      "/health",
      "/metrics",
      "/api/statistics",
      "/api/queues",
      "/api/queues/{queue}",
      "/api/queues/{queue}/metrics",
      "/api/queues/{queue}/pause",
      "/api/queues/{queue}/resume",
      "/api/queues/{queue}/drain",
      "/api/queues/{queue}/clean",
      "/api/queues/{queue}/jobs",
      "/api/queues/{queue}/jobs/{id}",
      "/api/queues/{queue}/jobs/{id}/retry",
      "/api/queues/{queue}/jobs/{id}/promote",
      "/api/queues/{queue}/schedulers",
      "/api/queues/{queue}/schedulers/{id}",
      "/api/executions",
      "/api/executions/{id}",
      "/api/executions/{id}/cancel",
      "/api/idempotency/{key}",
      "/api/workers",
      "/api/workers/register",
      "/api/workers/{id}",
      "/api/workers/{id}/heartbeat",
      "/api/workers/{id}/commands",
      "/api/workers/{id}/processes/{pid}/recycle",
      "/api/stuck-history");

  private static final List<List<String>> SEGMENTS = TEMPLATES.stream().map(RouteTemplates::segments).toList();

  private RouteTemplates() {}

  /** The template serving {@code path}, or {@value #OTHER}. */
  public static String of(String path) {
    List<String> segments = segments(path == null ? "" : path);
    for (int i = 0; i < SEGMENTS.size(); i++) {
      if (matches(SEGMENTS.get(i), segments)) {
        return TEMPLATES.get(i);
      }
    }
    return OTHER;
  }

  private static boolean matches(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return false;
    }
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (!(t.startsWith("{") || t.equals(path.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
