package dev.corral.api.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import dev.corral.broker.JobState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drain and clean bodies: defaults, required fields, ranges, types and unknown fields. */
class QueueBodiesTest {

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Set<String> fields(Runnable parse) {
    ApiException e = assertThrows(ApiException.class, parse::run);
    assertEquals(400, e.status().code());
    return e.errors().stream().map(FieldError::field).collect(Collectors.toSet());
  }

  @Test
  void drainBodyIsOptional() {
    assertFalse(QueueBodies.drainDelayed(null));
    assertFalse(QueueBodies.drainDelayed(new byte[0]));
    assertFalse(QueueBodies.drainDelayed(json("{}")));
    assertFalse(QueueBodies.drainDelayed(json("{\"delayed\":false}")));
    assertTrue(QueueBodies.drainDelayed(json("{\"delayed\":true}")));
    assertEquals(Set.of("delayed"), fields(() -> QueueBodies.drainDelayed(json("{\"delayed\":1}"))));
    assertEquals(Set.of("x"), fields(() -> QueueBodies.drainDelayed(json("{\"x\":true}"))));
    assertEquals(Set.of("body"), fields(() -> QueueBodies.drainDelayed(json("true"))));
  }

  @Test
  void cleanNeedsStateAndGraceAndDefaultsTheLimit() {
    assertEquals(new QueueBodies.Clean(0, 1000, JobState.COMPLETED),
        QueueBodies.clean(json("{\"state\":\"completed\",\"grace_ms\":0}")));
    assertEquals(new QueueBodies.Clean(5, 10_000, JobState.WAITING),
        QueueBodies.clean(json("{\"state\":\"wait\",\"grace_ms\":5,\"limit\":10000}")));
    assertEquals(JobState.WAITING, QueueBodies.clean(json("{\"state\":\"waiting\",\"grace_ms\":0}")).state());
    for (String s : List.of("completed", "failed", "delayed", "prioritized", "paused", "active")) {
      assertEquals(JobState.fromWireName(s), QueueBodies.clean(json("{\"state\":\"" + s + "\",\"grace_ms\":1}"))
          .state(), s);
    }
    assertEquals(Set.of("state", "grace_ms"), fields(() -> QueueBodies.clean(json("{}"))));
    assertEquals(Set.of("body"), fields(() -> QueueBodies.clean(new byte[0])));
  }

  @Test
  void cleanNamesEveryBadField() {
    assertEquals(Set.of("state", "grace_ms", "limit", "colour"), fields(() -> QueueBodies.clean(json(
        "{\"state\":\"waiting-children\",\"grace_ms\":-1,\"limit\":0,\"colour\":\"red\"}"))));
    assertEquals(Set.of("state", "grace_ms", "limit"), fields(() -> QueueBodies.clean(json(
        "{\"state\":[],\"grace_ms\":1.5,\"limit\":\"10\"}"))));
    assertEquals(Set.of("limit"), fields(() -> QueueBodies.clean(json(
        "{\"state\":\"failed\",\"grace_ms\":0,\"limit\":10001}"))));
    assertEquals(Set.of("grace_ms"), fields(() -> QueueBodies.clean(json(
        "{\"state\":\"failed\",\"grace_ms\":" + (QueueBodies.MAX_GRACE_MS + 1) + "}"))));
  }
}
