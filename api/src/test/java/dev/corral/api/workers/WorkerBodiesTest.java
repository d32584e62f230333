package dev.corral.api.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import dev.corral.broker.workers.CommandType;
import dev.corral.broker.workers.Heartbeat;
import dev.corral.broker.workers.WorkerRegistration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Body parsing of the worker routes: defaults, unknown and missing fields, type and range problems. */
class WorkerBodiesTest {

  private static byte[] b(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> fields(Runnable r) {
    ApiException e = assertThrows(ApiException.class, r::run);
    assertEquals(400, e.status().code());
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void registrationDefaults() {
    WorkerRegistration reg = WorkerBodies.registration(b("{\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1}"),
        1234);
    assertEquals(36, reg.workerId().length());
    assertEquals(5000, reg.heartbeatIntervalMs());
    assertEquals(3, reg.deadAfterMissed());
    assertEquals(1234, reg.startedAt());
  }

  @Test
  void registrationProblems() {
    assertEquals(List.of("x", "hostname", "queues", "concurrency"), fields(() -> WorkerBodies.registration(
        b("{\"x\":1}"), 0)));
    assertEquals(List.of("queues"), fields(() -> WorkerBodies.registration(
        b("{\"hostname\":\"h\",\"queues\":\"q\",\"concurrency\":1}"), 0)));
    assertEquals(List.of("worker_id"), fields(() -> WorkerBodies.registration(
        b("{\"worker_id\":\"a:b\",\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1}"), 0)));
    assertEquals(List.of("heartbeat_interval_ms"), fields(() -> WorkerBodies.registration(
        b("{\"hostname\":\"h\",\"queues\":[\"q\"],\"concurrency\":1,\"heartbeat_interval_ms\":5}"), 0)));
  }

  @Test
  void heartbeatTakesThePathId() {
    Heartbeat hb = WorkerBodies.heartbeat(b("{\"seq\":2,\"load\":0.5}"), "w1", 99);
    assertEquals("w1", hb.workerId());
    assertEquals(99, hb.sentAt());
    assertEquals(List.of("worker_id"), fields(() -> WorkerBodies.heartbeat(b("{\"worker_id\":\"w2\"}"), "w1", 0)));
    assertEquals(List.of("bogus"), fields(() -> WorkerBodies.heartbeat(b("{\"bogus\":true}"), "w1", 0)));
  }

  @Test
  void commands() {
    WorkerBodies.CommandBody c = WorkerBodies.command(b("{\"type\":\"shutdown\",\"reason\":\"r\"}"));
    assertEquals(CommandType.SHUTDOWN, c.type());
    assertNull(c.requester());
    assertEquals(List.of("type", "requester"), fields(() -> WorkerBodies.command(b("{\"requester\":\"\"}"))));
    assertEquals(List.of("extra", "type"), fields(() -> WorkerBodies.command(b("{\"extra\":1,\"type\":\"x\"}"))));
    assertEquals(List.of("reason"), fields(() -> WorkerBodies.recycle(b("{\"reason\":\"" + "r".repeat(1025)
        + "\"}"))));
    assertEquals(CommandType.RECYCLE, WorkerBodies.recycle(null).type());
  }

  @Test
  void fieldOfMessages() {
    assertEquals("heartbeat_interval_ms", WorkerBodies.fieldOf("heartbeatIntervalMs must be between 1 and 2"));
    assertEquals("body", WorkerBodies.fieldOf("'x' is bad"));
  }
}
