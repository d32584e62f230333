package dev.corral.api.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

  @Test
  void jacksonFailuresAnywhereInTheCausesAreBadJson() {
    Exception parse = null;
    try {
      new ObjectMapper().readTree("{not json");
    } catch (Exception e) {
      parse = e;
    }
    assertTrue(ErrorMapping.isBadJson(parse));
    assertTrue(ErrorMapping.isBadJson(new IllegalStateException("read failed", new UncheckedIOException(
        new java.io.IOException("wrapped", parse)))));
    assertFalse(ErrorMapping.isBadJson(new IllegalStateException("other")));
  }

  @Test
  void statusesHaveSnakeCaseTypes() {
    assertEquals("method_not_allowed", ErrorMapping.errorType(Status.METHOD_NOT_ALLOWED_405));
    assertEquals("payload_too_large", ErrorMapping.errorType(Status.REQUEST_ENTITY_TOO_LARGE_413));
    assertEquals("unsupported_media_type", ErrorMapping.errorType(Status.UNSUPPORTED_MEDIA_TYPE_415));
    assertEquals("internal_error", ErrorMapping.errorType(Status.INTERNAL_SERVER_ERROR_500));
  }

  @Test
  void methodNotAllowedNamesTheAllowedMethods() {
    MethodNotAllowedException e = new MethodNotAllowedException("DELETE", "/api/queues/q", "GET");
    assertEquals("method DELETE is not allowed on /api/queues/q; allowed: GET", e.getMessage());
    assertEquals("GET", e.allowed());
  }
}
