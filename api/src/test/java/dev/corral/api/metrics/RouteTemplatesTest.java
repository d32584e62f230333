package dev.corral.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Paths map to their route template, literal segments first, anything else to {@code other}. */
class RouteTemplatesTest {

  @Test
  void pathsMapToTheirTemplates() {
    assertEquals("/api/queues", RouteTemplates.of("/api/queues"));
    assertEquals("/api/queues", RouteTemplates.of("/api/queues/"));
    assertEquals("/api/queues/{queue}", RouteTemplates.of("/api/queues/emails"));
    assertEquals("/api/queues/{queue}/drain", RouteTemplates.of("/api/queues/emails/drain"));
    assertEquals("/api/queues/{queue}/jobs/{id}", RouteTemplates.of("/api/queues/emails/jobs/42"));
    assertEquals("/api/queues/{queue}/jobs/{id}/retry", RouteTemplates.of("/api/queues/emails/jobs/42/retry"));
    assertEquals("/api/workers/register", RouteTemplates.of("/api/workers/register"));
    assertEquals("/api/workers/{id}", RouteTemplates.of("/api/workers/w-1"));
    assertEquals("/api/workers/{id}/processes/{pid}/recycle", RouteTemplates.of("/api/workers/w/processes/7/recycle"));
    assertEquals("/metrics", RouteTemplates.of("/metrics"));
    assertEquals("/health", RouteTemplates.of("/health"));
    assertEquals("/api/statistics", RouteTemplates.of("/api/statistics"));
  }

  @Test
  void unknownPathsAreOther() {
    for (String path : new String[] {"/", "", "/api", "/api/queues/a/b/c/d/e", "/x/y", "/api/queues/q/jobs/1/kill",
        null}) {
      assertEquals(RouteTemplates.OTHER, RouteTemplates.of(path), String.valueOf(path));
    }
  }
}
