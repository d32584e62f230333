package dev.corral.broker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.JobState;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job that adds children to itself while active ({@code JobOptions.parent}) and moves to waiting-children until
 * they finish (BullMQ's moveToWaitingChildren); the Node comparison is
 * {@code WorkerStateInteropIT.aProcessorAddsChildrenToItsOwnJobAndWaitsForThem}.
 */
class WaitingChildrenIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;
  private Queue queue;
  private JobLifecycle lifecycle;

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @BeforeEach
  void newQueue() {
    queue = client.queue(RedisTestSupport.uniqueQueueName("wchildren"));
    lifecycle = new JobLifecycle(client, queue.keys());
  }

  private String take(String token) {
    return lifecycle.fetch(new FetchRequest(token, 30_000, 0, 0, "")).job().id();
  }

  private JobOptions childOf(String parentId) {
    return JobOptions.builder().parent(new JobParent(queue.keys(), parentId)).build();
  }

  @Test
  void anActiveJobWaitsForTheChildrenItAddedAndRunsAgainWhenTheyAreDone() {
    String parent = queue.add("parent", Map.of());
    assertEquals(parent, take("p1"));
    String child = queue.add("child", Map.of(), childOf(parent));
    assertEquals(List.of(queue.keys().job(child)),
        List.copyOf(client.redisson().getSet(queue.keys().job(parent) + ":dependencies",
            org.redisson.client.codec.StringCodec.INSTANCE).readAll()));
    assertEquals(queue.keys().job(parent), probe.hash(queue.keys().job(child)).get("parentKey"));

    assertTrue(lifecycle.moveToWaitingChildren(parent, "p1", null));

    assertEquals(JobState.WAITING_CHILDREN, queue.getState(parent));
    assertFalse(probe.exists(queue.keys().lock(parent)));
    List<Map<String, String>> events = probe.stream(queue.keys().events());
    assertEquals(Map.of("event", "waiting-children", "jobId", parent, "prev", "active"), events.get(events.size() - 1));

    assertEquals(child, take("c1"));
    lifecycle.complete(child, "c1", "42", KeepJobs.all(), null);
    assertEquals(JobState.WAITING, queue.getState(parent));
    assertEquals(parent, take("p2"));
    assertFalse(lifecycle.moveToWaitingChildren(parent, "p2", null), "no child is pending any more");
    lifecycle.complete(parent, "p2", "\"done\"", KeepJobs.all(), null);
    assertEquals(JobState.COMPLETED, queue.getState(parent));
    assertEquals("42", queue.getChildrenValues(parent).get(queue.keys().job(child)).toString());
    assertEquals("1", probe.hash(queue.keys().job(parent)).get("atm"));
  }

  @Test
  void waitingForOneChildOnlyMovesWhileThatChildIsPending() {
    String parent = queue.add("parent", Map.of());
    assertEquals(parent, take("p1"));
    String child = queue.add("child", Map.of(), childOf(parent));

    assertFalse(lifecycle.moveToWaitingChildren(parent, "p1", queue.keys().job("not-a-child")));
    assertEquals(JobState.ACTIVE, queue.getState(parent));
    assertTrue(lifecycle.moveToWaitingChildren(parent, "p1", queue.keys().job(child)));
    assertEquals(JobState.WAITING_CHILDREN, queue.getState(parent));
  }

  @Test
  void aWrongTokenOrAJobNotActiveIsRefused() {
    String parent = queue.add("parent", Map.of());
    assertEquals(parent, take("p1"));
    queue.add("child", Map.of(), childOf(parent));
    BrokerException wrong = assertThrows(BrokerException.class,
        () -> lifecycle.moveToWaitingChildren(parent, "other", null));
    assertTrue(wrong.getMessage().contains("moveToWaitingChildren"), wrong.getMessage());
    assertEquals(JobState.ACTIVE, queue.getState(parent));
    assertThrows(BrokerException.class, () -> lifecycle.moveToWaitingChildren("missing", "p1", null));
  }

  @Test
  void aChildOfAMissingParentIsRefusedAndNothingIsWritten() {
    BrokerException e = assertThrows(BrokerException.class, () -> queue.add("child", Map.of(), childOf("nope")));
    assertTrue(e.getMessage().toLowerCase().contains("parent"), e.getMessage());
    assertEquals(0, queue.getJobCount(JobState.WAITING));
  }

  @Test
  void aParentCannotBeCombinedWithDeduplication() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobOptions.builder()
        .parent(JobParent.of("q", "1")).deduplication(Deduplication.simple("d")).build());
    assertTrue(e.getMessage().startsWith("Deduplication and parent options cannot be used together"), e.getMessage());
  }
}
