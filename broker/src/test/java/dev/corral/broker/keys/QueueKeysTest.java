package dev.corral.broker.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueKeysTest {

  @Test
  void keysFollowBullmqsNaming() {
    QueueKeys keys = QueueKeys.of("emails");
    assertEquals("bull:emails:", keys.base());
    assertEquals("bull:emails:wait", keys.waitList());
    assertEquals("bull:emails:waiting-children", keys.waitingChildren());
    assertEquals("bull:emails:42", keys.job("42"));
    assertEquals("bull:emails:42:lock", keys.lock("42"));
    assertEquals("bull:emails:42:logs", keys.logs("42"));
    assertEquals("bull:emails:de:user-1", keys.dedup("user-1"));
    assertEquals("bull:emails:dn:user-1", keys.dedupNext("user-1"));
    assertEquals("bull:emails", keys.qualifiedName());
    assertEquals("{tag}:emails:meta", new QueueKeys("{tag}", "emails").meta());
  }

  @Test
  void workerConnectionNamesAreThoseBullmqListsAsWorkers() {
    QueueKeys keys = QueueKeys.of("spec-std");
    assertEquals("bull:c3BlYy1zdGQ=:w:javaCompat1", keys.workerClientName("javaCompat1"));
    assertEquals("bull:c3BlYy1zdGQ=", keys.workerClientName(null));
    assertEquals("bull:c3BlYy1zdGQ=:qe", keys.queueEventsClientName());
  }

  @Test
  void badQueueNamesAreRejectedNamingTheValue() {
    IllegalArgumentException colon = assertThrows(IllegalArgumentException.class, () -> QueueKeys.of("a:b"));
    assertTrue(colon.getMessage().contains("queueName") && colon.getMessage().contains("a:b"), colon.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QueueKeys.of(""));
    assertThrows(IllegalArgumentException.class, () -> QueueKeys.of("  "));
    assertThrows(IllegalArgumentException.class, () -> QueueKeys.of(null));
    assertThrows(IllegalArgumentException.class, () -> QueueKeys.of("tab\there"));
    assertThrows(IllegalArgumentException.class, () -> QueueKeys.of("x".repeat(QueueKeys.MAX_QUEUE_NAME_LENGTH + 1)));
    assertThrows(IllegalArgumentException.class, () -> new QueueKeys("", "q"));
  }
}
