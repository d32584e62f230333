package dev.corral.api.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestChecksTest {

  @Test
  void traversalAndEncodedSeparatorsAreRefused() {
    assertTrue(RequestChecks.badPath("/api/queues/%2e%2e/pause", "/api/queues/../pause").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/..", "/api/queues/..").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/.", "/api/queues/.").isPresent());
    // Helidon hands the route a normalized path ("/api/queues/", the queue list); the raw one still shows the dot
    assertTrue(RequestChecks.badPath("/api/queues/.", "/api/queues/").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/x/../y", "/api/queues/y").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/a%2Fb", "/api/queues/a/b").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/a%5cb", "/api/queues/a\\b").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/a%00", "/api/queues/a\0").isPresent());
    assertTrue(RequestChecks.badPath("/api/queues/a%0a", "/api/queues/a\n").isPresent());
  }

  @Test
  void ordinaryNamesPass() {
    assertFalse(RequestChecks.badPath("/api/queues/a.b", "/api/queues/a.b").isPresent());
    assertFalse(RequestChecks.badPath("/api/queues/...", "/api/queues/...").isPresent());
    assertFalse(RequestChecks.badPath("/api/queues/%C3%A9t%C3%A9", "/api/queues/été").isPresent());
    assertFalse(RequestChecks.badPath("/health", "/health").isPresent());
  }

  @Test
  void jsonContentTypes() {
    assertTrue(RequestChecks.isJson(Optional.of("application/json")));
    assertTrue(RequestChecks.isJson(Optional.of("Application/JSON; charset=UTF-8")));
    assertTrue(RequestChecks.isJson(Optional.of("application/merge-patch+json")));
    assertFalse(RequestChecks.isJson(Optional.of("text/plain")));
    assertFalse(RequestChecks.isJson(Optional.of("application/x-www-form-urlencoded")));
    assertFalse(RequestChecks.isJson(Optional.empty()));
  }
}
