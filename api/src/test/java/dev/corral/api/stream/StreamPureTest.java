package dev.corral.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.api.auth.Role;
import dev.corral.api.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stream's pure parts: filter parsing and matching, the SSE format, ids, the subscriber buffer, the hub. */
class StreamPureTest {

  private static Map<String, List<String>> q(String... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return m;
  }

  private static StreamFilter parse(Map<String, List<String>> query) {
    return StreamFilter.parse(query, null, Role.OPERATOR);
  }

  private static String field(Runnable r) {
    ApiException e = assertThrows(ApiException.class, r::run);
    return e.errors() == null ? e.status().code() + "" : e.errors().get(0).field();
  }

  private static StreamEvent queue(String queue, String id) {
    return new StreamEvent("queue", id, StreamHub.queueSource(queue), queue, null, null, "{}");
  }

  private static StreamEvent heartbeat(String worker) {
    return new StreamEvent("heartbeat", null, StreamHub.HEARTBEATS, null, null, worker, "{}");
  }

  private static StreamEvent execution(String exec) {
    return new StreamEvent("execution", "1-0", StreamHub.EXECUTIONS, null, exec, null, "{}");
  }

  @Test
  void defaultsAndLists() {
    StreamFilter all = parse(q());
    assertEquals(Set.of("heartbeat", "execution"), all.types(), "no queue named: no queue events");
    assertEquals(List.of("heartbeat", "execution"), all.sources());

    StreamFilter f = parse(q("queue", "a,b", "queue", "c", "types", "queue,execution", "execution", "e1"));
    assertEquals(Set.of("a", "b", "c"), f.queues());
    assertEquals(List.of("execution", "queue:a", "queue:b", "queue:c"), f.sources());
    assertTrue(f.matches(queue("a", "1-0")));
    assertFalse(f.matches(queue("z", "1-0")));
    assertTrue(f.matches(execution("e1")));
    assertFalse(f.matches(execution("e2")));
    assertFalse(f.matches(heartbeat("w")));

    StreamFilter w = parse(q("worker", "w1"));
    assertTrue(w.matches(heartbeat("w1")));
    assertFalse(w.matches(heartbeat("w2")));
    assertTrue(w.matches(execution("any")));
  }

  @Test
  void everyBadParameterIsNamed() {
    assertEquals("types", field(() -> parse(q("types", "jobs"))));
    assertEquals("queue", field(() -> parse(q("types", "queue"))));
    assertEquals("queue", field(() -> parse(q("queue", "a:b"))));
    assertEquals("queue", field(() -> parse(q("queue", "a", "types", "heartbeat"))));
    assertEquals("execution", field(() -> parse(q("execution", "bad id"))));
    assertEquals("execution", field(() -> parse(q("execution", "e", "types", "heartbeat"))));
    assertEquals("worker", field(() -> parse(q("worker", "w", "types", "execution"))));
    assertEquals("since", field(() -> parse(q("since", "yesterday"))));
    assertEquals("queues", field(() -> parse(q("queues", "a"))));
    ApiException e = assertThrows(ApiException.class, () -> StreamFilter.parse(q(), "x-1", Role.ADMIN));
    assertEquals("Last-Event-ID", e.errors().get(0).field());
  }

  @Test
  void resumePositions() {
    assertEquals("5-0", parse(q("since", "5")).since());
    assertEquals("7-2", StreamFilter.parse(q("since", "5"), "7-2", null).since(), "Last-Event-ID wins");
    assertNull(parse(q()).since());
    assertTrue(StreamIds.compare("10-0", "9-5") > 0);
    assertTrue(StreamIds.compare("9-10", "9-9") > 0);
    assertEquals(0, StreamIds.compare("9", "9-0"));
  }

  @Test
  void submittersOnlyFollowExecutionsTheyName() {
    StreamFilter f = StreamFilter.parse(q("execution", "e1"), null, Role.SUBMITTER);
    assertEquals(Set.of("execution"), f.types());
    assertEquals("403", field(() -> StreamFilter.parse(q(), null, Role.SUBMITTER)));
    assertEquals("403", field(() -> StreamFilter.parse(q("execution", "e1", "types", "execution,heartbeat"), null,
        Role.SUBMITTER)));
  }

  @Test
  void sseFormat() {
    assertEquals("event: queue\nid: 1-0\ndata: {\"a\":1}\n\n", Sse.event("queue", "1-0", "{\"a\":1}"));
    assertEquals("event: x\ndata: l1\ndata: l2\n\n", Sse.event("x", null, "l1\nl2"));
    assertEquals(": keepalive\n\n", Sse.comment("keepalive"));
    assertEquals(": a b\n\n", Sse.comment("a\nb"));
    assertEquals("retry: 3000\n\n", Sse.retry(3000));
  }

  @Test
  void aFullBufferEndsTheSubscriptionWithoutBlocking() throws Exception {
    Subscriber s = new Subscriber(parse(q("queue", "a")), 2);
    s.offer(queue("a", "1-0"));
    s.offer(queue("b", "2-0")); // not wanted: not buffered
    s.offer(queue("a", "3-0"));
    assertNull(s.ended());
    s.offer(queue("a", "4-0")); // the third wanted event: over capacity
    assertEquals(Subscriber.End.SLOW_CONSUMER, s.ended());
    assertNull(s.next(10));
    assertNull(new Subscriber(parse(q()), 1).next(1), "a timeout is null too");
  }

  @Test
  void theHubOpensEachSourceOnceAndClosesItWithTheLastSubscriber() {
    List<String> opened = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    Map<String, java.util.function.Consumer<StreamEvent>> sinks = new LinkedHashMap<>();
    StreamHub hub = new StreamHub((key, sink) -> {
      opened.add(key);
      sinks.put(key, sink);
      return () -> closed.add(key);
    }, 2);
    Subscriber a = hub.subscribe(parse(q("queue", "qa", "types", "queue")), 10);
    Subscriber b = hub.subscribe(parse(q("queue", "qa,qb", "types", "queue")), 10);
    assertEquals(List.of("queue:qa", "queue:qb"), opened);
    ApiException full = assertThrows(ApiException.class, () -> hub.subscribe(parse(q()), 10));
    assertEquals(503, full.status().code());

    sinks.get("queue:qa").accept(queue("qa", "1-0"));
    assertEquals(new StreamHub.Stats(2, 2, List.of("queue:qa", "queue:qb")), hub.stats());
    hub.unsubscribe(b);
    assertEquals(List.of("queue:qb"), closed);
    hub.unsubscribe(a);
    hub.unsubscribe(a);
    assertEquals(List.of("queue:qb", "queue:qa"), closed);
    assertEquals(new StreamHub.Stats(0, 2, List.of()), hub.stats());

    Subscriber c = hub.subscribe(parse(q()), 10);
    hub.close();
    assertEquals(Subscriber.End.SERVER_STOPPING, c.ended());
    assertEquals(503, assertThrows(ApiException.class, () -> hub.subscribe(parse(q()), 1)).status().code());
  }
}
