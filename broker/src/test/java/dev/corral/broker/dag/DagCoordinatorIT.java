package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.redis.LocalRedisServer;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RBatch;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;

/**
 * The coordinator and the reconciliation sweep drive DAG executions whose nodes are finished by an outside
 * worker ({@link OutsideWorker}: what a Node BullMQ worker leaves, no DAG bookkeeping).
 */
class DagCoordinatorIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private final List<DagCoordinator> started = new ArrayList<>();
  private DagDriver t;
  private OutsideWorker outside;

  @BeforeEach
  void fresh() {
    t = new DagDriver(client);
    outside = new OutsideWorker(t);
  }

  @AfterEach
  void stopCoordinators() {
    started.forEach(DagCoordinator::close);
  }

  private DagCoordinator coordinator(DagCoordinatorOptions options) {
    DagCoordinator c = DagCoordinator.start(client, options.withPrefix(t.prefix));
    started.add(c);
    // the first sweep runs at start: let it pass, so that what a test does next is found by what it tests
    Await.until(WAIT, () -> c.stats().sweeps() >= 1);
    return c;
  }

  /** Events followed, no periodic sweep after the first. */
  private DagCoordinator following() {
    return coordinator(DagCoordinatorOptions.defaults().withSweepInterval(NEVER));
  }

  private DagCoordinator sweepOnly() {
    return coordinator(DagCoordinatorOptions.defaults().withFollowEvents(false).withSweepInterval(NEVER));
  }

  private void awaitState(String execId, String node, String state) {
    Await.until(WAIT, () -> state.equals(t.state(execId).get(node)));
  }

  private static Dag.Builder diamond(String execId) {
    return Dag.builder("wf").executionId(execId)
        .node("a").queue("q1")
        .node("b").queue("q2").dependsOn("a")
        .node("c").queue("q2").dependsOn("a")
        .node("d").queue("q1").dependsOn("b", "c");
  }

  private Map<String, Long> releasesPerNode(String execId) {
    return t.dagEvents("node-released").stream().filter(e -> execId.equals(e.get("execId")))
        .collect(Collectors.groupingBy(e -> e.get("node"), Collectors.counting()));
  }

  @Test
  void aDiamondFinishedByAnOutsideWorkerIsDrivenToCompletionByTheCoordinator() {
    DagCoordinator coordinator = following();
    // submitted after the coordinator started: its queues are followed because the submission is seen
    t.dags.submit(diamond("d1").build());
    Await.until(WAIT, () -> coordinator.followedQueues().size() == 2);

    DagDriver.Taken a = outside.take("q1");
    outside.failAttemptAndRetry(a, "flaky"); // a retried attempt emits "failed" but is not a finish
    Await.until(WAIT, () -> coordinator.stats().eventsHandled() == 1);
    assertEquals("released", t.state("d1").get("a"));
    assertNull(outside.take("q2"), "nothing of q2 is runnable yet");
    DagDriver.Taken again = outside.take("q1");
    assertEquals(a.jobId(), again.jobId());
    outside.complete(again);
    awaitState("d1", "a", "completed");
    assertEquals("released", t.state("d1").get("b"));
    assertEquals(Set.of("b", "c"), Set.of(outside.runNext("q2"), outside.runNext("q2")));
    awaitState("d1", "d", "released");
    assertEquals("d", outside.runNext("q1"));
    awaitState("d1", "d", "completed");

    assertEquals("completed", t.record("d1").get("status"));
    assertEquals(Map.of(t.jobKey("d1", "b"), DagDriver.result("b"), t.jobKey("d1", "c"), DagDriver.result("c")),
        t.probe.hash(t.jobKey("d1", "d") + ":processed"));
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L, "d", 1L), releasesPerNode("d1"));
    assertEquals(1, t.dagEvents("execution-finished").size());
    DagCoordinatorStats stats = coordinator.stats();
    assertEquals(4, stats.nodesFinishedByEvents());
    assertEquals(5, stats.eventsHandled(), "4 completions and the retried attempt's failed event");
    // the cursors point at the last entry of each followed stream
    Await.until(WAIT, () -> lastId("q1").equals(t.probe.hash(t.keys.cursors()).get(t.keys.queue("q1").base()))
        && lastId("q2").equals(t.probe.hash(t.keys.cursors()).get(t.keys.queue("q2").base())));
    // the execution ended: its queues are no longer followed
    Await.until(WAIT, () -> coordinator.followedQueues().isEmpty());
  }

  private String lastId(String queue) {
    List<Map.Entry<String, Map<String, String>>> entries = t.probe.streamEntries(t.keys.queue(queue).events());
    return entries.get(entries.size() - 1).getKey();
  }

  @Test
  void aRestartedCoordinatorContinuesFromTheStoredCursors() {
    t.dags.submit(Dag.builder("wf").executionId("r")
        .node("a").queue("rq").node("b").queue("rq").dependsOn("a").node("c").queue("rq").dependsOn("b")
        .build());
    QueueKeys rq = t.keys.queue("rq");
    DagCoordinator first = following();
    outside.runNext("rq");
    awaitState("r", "b", "released");
    Await.until(WAIT, () -> lastId("rq").equals(t.probe.hash(t.keys.cursors()).get(rq.base())));
    first.close();

    assertEquals("b", outside.runNext("rq")); // while no coordinator runs
    String cursor = t.probe.hash(t.keys.cursors()).get(rq.base());
    List<Map.Entry<String, Map<String, String>>> entries = t.probe.streamEntries(rq.events());
    long unread = entries.stream().filter(e -> compareIds(e.getKey(), cursor) > 0).count();
    assertTrue(unread >= 1 && unread < entries.size(), unread + " of " + entries.size());

    DagCoordinator second = following();
    awaitState("r", "c", "released");
    Await.until(WAIT, () -> lastId("rq").equals(t.probe.hash(t.keys.cursors()).get(rq.base())));
    // what followed the old cursor: b's events and c's release (waiting), nothing before
    long afterCursor = t.probe.streamEntries(rq.events()).stream()
        .filter(e -> compareIds(e.getKey(), cursor) > 0).count();
    assertEquals(afterCursor, second.stats().eventsRead(), "the second coordinator started at the cursor");
    assertTrue(afterCursor < t.probe.streamEntries(rq.events()).size());
    assertEquals("c", outside.runNext("rq"));
    awaitState("r", "c", "completed");
    assertEquals("completed", t.record("r").get("status"));
    assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L), releasesPerNode("r"));
  }

  private static int compareIds(String x, String y) {
    String[] a = x.split("-");
    String[] b = y.split("-");
    int c = Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]));
    return c != 0 ? c : Long.compare(Long.parseLong(a[1]), Long.parseLong(b[1]));
  }

  @Test
  void theSweepAloneFinishesNodesWhoseEventsAreGone() {
    t.dags.submit(diamond("s").build());
    DagCoordinator sweeper = sweepOnly();
    outside.runNext("q1");
    client.redisson().getStream(t.keys.queue("q1").events(), StringCodec.INSTANCE).trim(
        StreamTrimArgs.maxLen(0).noLimit());
    assertEquals(0, t.probe.stream(t.keys.queue("q1").events()).size());

    DagSweeper.Result result = sweeper.sweepOnce();
    assertEquals(1, result.nodesFinished());
    assertEquals(Map.of("a", "completed", "b", "released", "c", "released", "d", "held"), t.state("s"));
    String ok = outside.runNext("q2");
    DagDriver.Taken broken = outside.take("q2");
    outside.fail(broken, "broke");
    assertEquals(2, sweeper.sweepOnce().nodesFinished());
    assertEquals("failed", t.record("s").get("status"));
    assertEquals(Map.of("a", "completed", ok, "completed", broken.node(), "failed", "d", "cancelled"),
        t.state("s"));
    assertEquals(0, sweeper.sweepOnce().executions(), "an ended execution is no longer swept");
    assertEquals(3, sweeper.stats().nodesFinishedBySweep());
    assertEquals(0, sweeper.stats().eventsRead());
  }

  @Test
  void aReleasedNodeWhoseJobIsGoneFailsAsJobRemovedAtTheSecondSweep() {
    t.dags.submit(Dag.builder("wf").executionId("rm")
        .node("a").queue("q").failurePolicy(FailurePolicy.CONTINUE)
        .node("b").queue("q").dependsOn("a").build());
    DagCoordinator sweeper = sweepOnly();
    DagDriver.Taken a = outside.take("q");
    client.redisson().getKeys().delete(t.keys.queue("q").job(a.jobId()));

    DagSweeper.Result first = sweeper.sweepOnce();
    assertEquals(new DagSweeper.Result(1, 0, 0, 1), first);
    assertEquals("released", t.state("rm").get("a"), "a completed event may still be on its way");
    assertEquals(1, sweeper.sweepOnce().nodesFinished());
    assertEquals("failed", t.state("rm").get("a"));
    assertEquals("released", t.state("rm").get("b"), "continue: the dependent runs");
    assertEquals(Map.of(t.keys.queue("q").job(a.jobId()), "job removed"),
        t.probe.hash(t.jobKey("rm", "b") + ":failed"));
  }

  @Test
  void aCompletedEventOfAJobAlreadyRemovedFinishesTheNodeAsCompletedWithTheEventsValue() {
    t.dags.submit(Dag.builder("wf").executionId("roc")
        .node("a").queue("q").node("b").queue("q").dependsOn("a").build());
    DagCoordinator coordinator = following();
    DagDriver.Taken a = outside.take("q");
    outside.completeAndRemove(a);
    coordinator.sweepOnce(); // racing the event: it may only mark the gone job, never fail it
    awaitState("roc", "a", "completed");
    assertEquals(Map.of(t.keys.queue("q").job(a.jobId()), DagDriver.result("a")),
        t.probe.hash(t.jobKey("roc", "b") + ":processed"));
    assertFalse(t.probe.hash(t.keys.jobs()).containsKey(t.keys.queue("q").job(a.jobId())),
        "a final node leaves the reverse index");
    coordinator.sweepOnce();
    assertEquals("completed", t.state("roc").get("a"));
    assertEquals("running", t.record("roc").get("status"));
  }

  @Test
  void twoCoordinatorsReleaseEachDependentExactlyOnce() {
    Dag.Builder b = Dag.builder("wf").executionId("two").node("root").queue("w1");
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      b.node("m" + i).queue(i % 2 == 0 ? "w1" : "w2").dependsOn("root");
      middle.add("m" + i);
    }
    b.node("join").queue("w2").dependsOn(middle.toArray(String[]::new));
    t.dags.submit(b.build());
    DagCoordinatorOptions busy = DagCoordinatorOptions.defaults().withSweepInterval(Duration.ofMillis(20));
    DagCoordinator one = coordinator(busy);
    DagCoordinator two = coordinator(busy);

    outside.runNext("w1");
    awaitState("two", "m1", "released");
    List<DagDriver.Taken> taken = new ArrayList<>();
    for (String q : List.of("w1", "w2")) {
      DagDriver.Taken job;
      while ((job = outside.take(q)) != null) {
        taken.add(job);
      }
    }
    assertEquals(40, taken.size());
    taken.forEach(outside::complete);
    awaitState("two", "join", "released");
    outside.runNext("w2");
    Await.until(WAIT, () -> "completed".equals(t.record("two").get("status")));

    Map<String, Long> releases = releasesPerNode("two");
    assertEquals(42, releases.size());
    assertTrue(releases.values().stream().allMatch(n -> n == 1), releases.toString());
    String joinJob = t.dags.get("two").orElseThrow().node("join").jobId();
    assertEquals(1, t.probe.stream(t.keys.queue("w2").events()).stream()
        .filter(e -> "waiting".equals(e.get("event")) && joinJob.equals(e.get("jobId"))).count());
    assertEquals(42, t.dagEvents("node-finished").size());
    assertEquals(1, t.dagEvents("execution-finished").size());
    long finishedByBoth = List.of(one, two).stream()
        .mapToLong(c -> c.stats().nodesFinishedByEvents() + c.stats().nodesFinishedBySweep()).sum();
    assertEquals(42, finishedByBoth, "each node was finished by exactly one of them");
    assertEquals(40, t.probe.hash(t.jobKey("two", "join") + ":processed").size());
  }

  @Test
  void expiredExecutionsLeaveTheIndexZsets() throws InterruptedException {
    t.dags.submit(Dag.builder("wf").executionId("old").retention(Duration.ofSeconds(1))
        .node("x").queue("e").build());
    t.dags.submit(Dag.builder("wf").executionId("new").node("y").queue("e2").build());
    assertEquals("x", t.runNext("e")); // inline, through Corral's worker scripts
    assertEquals("completed", t.record("old").get("status"));
    DagCoordinator sweeper = sweepOnly();
    assertEquals(0, sweeper.sweepOnce().indexEntriesCleaned(), "not expired yet");
    Function<String, List<String>> members = key -> t.probe.zset(key).stream().map(Map.Entry::getKey).toList();
    assertEquals(List.of("old"), members.apply(t.keys.status(ExecutionStatus.COMPLETED)));

    Await.until(WAIT, () -> !t.probe.exists(t.keys.execution("old")));
    Thread.sleep(50); // the expiry score is on the client's clock
    assertEquals(1, sweeper.sweepOnce().indexEntriesCleaned());
    assertEquals(List.of("new"), members.apply(t.keys.index()));
    assertEquals(List.of("new"), members.apply(t.keys.workflow("wf")));
    assertEquals(List.of("new"), members.apply(t.keys.status(ExecutionStatus.RUNNING)));
    assertFalse(t.probe.exists(t.keys.status(ExecutionStatus.COMPLETED)));
    assertFalse(t.probe.exists(t.keys.expiring()));
    assertEquals(List.of("new"), members.apply(t.keys.live()));
    assertEquals(List.of("new"), t.dags.list(null, "wf", 0, 10).stream().map(DagSummary::id).toList());
    assertEquals(0, sweeper.sweepOnce().indexEntriesCleaned());
    assertEquals(1, sweeper.stats().indexEntriesCleaned());
  }

  @Test
  void oneSweepFinishesTheNodesOfATenThousandNodeExecutionQuickly() {
    Dag.Builder b = Dag.builder("wf").executionId("big").node("root").queue("big");
    String[] middle = new String[9_998];
    for (int i = 0; i < middle.length; i++) {
      middle[i] = "m" + i;
      b.node(middle[i]).queue("big").dependsOn("root");
    }
    t.dags.submit(b.node("join").queue("big").dependsOn(middle).build());
    DagCoordinator sweeper = sweepOnly();
    outside.runNext("big");
    assertEquals(1, sweeper.sweepOnce().nodesFinished());

    // an outside worker completed every released node; their events are gone
    QueueKeys q = t.keys.queue("big");
    List<String> released = t.probe.list(q.waitList());
    assertEquals(9_998, released.size());
    RBatch batch = client.redisson().createBatch();
    for (String jobId : released) {
      batch.getScoredSortedSet(q.completed(), StringCodec.INSTANCE).addAsync(1, jobId);
      batch.getMap(q.job(jobId), StringCodec.INSTANCE).fastPutAsync("returnvalue", "1");
    }
    batch.getKeys().deleteAsync(q.waitList());
    batch.execute();

    long start = System.nanoTime();
    DagSweeper.Result result = sweeper.sweepOnce();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(9_998, result.nodesFinished());
    assertEquals("released", t.state("big").get("join"));
    assertEquals(9_998, t.probe.hash(t.jobKey("big", "join") + ":processed").size());
    System.out.println("DagCoordinatorIT: one sweep finished 9 998 nodes in " + ms + " ms");
    assertTrue(ms < 5_000, "sweeping 10 000 nodes took " + ms + " ms (748 ms measured; 18.5 s when decoding the join per dependency)");
  }

  @Test
  void aRedisOutageIsReportedAndRetriedWithBackoffAndTheCoordinatorGoesOn() throws Exception {
    LocalRedisServer server = LocalRedisServer.start(null, 0);
    int port = server.port();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    try (BrokerClient own = BrokerClient.connect(server.url())) {
      DagDriver d = new DagDriver(own);
      DagCoordinator coordinator = DagCoordinator.start(own, DagCoordinatorOptions.defaults()
          .withPrefix(d.prefix).withSweepInterval(Duration.ofMillis(200))
          .withRetryDelays(Duration.ofMillis(100), Duration.ofMillis(400)).withErrorListener(errors::add));
      started.add(coordinator);
      Await.until(WAIT, () -> coordinator.stats().sweeps() >= 1);
      server.close();
      Thread.sleep(2500);
      assertTrue(!errors.isEmpty(), "the outage was reported");
      assertTrue(coordinator.stats().errors() <= 40, "backoff, not a busy loop: " + coordinator.stats().errors());

      server = LocalRedisServer.start(null, port);
      d.dags.submit(Dag.builder("wf").executionId("after").node("a").queue("o").node("b").queue("o").dependsOn("a")
          .build());
      OutsideWorker w = new OutsideWorker(d);
      Await.until(WAIT, () -> {
        DagDriver.Taken a = w.take("o");
        if (a != null) {
          w.complete(a);
        }
        // this loop takes b too once it is released, so b may already be completed when looked at
        String b = d.state("after").get("b");
        return "released".equals(b) || "completed".equals(b) ? Boolean.TRUE : null;
      }, "b released after the outage");
      assertTrue(coordinator.isRunning());
      coordinator.close();
    } finally {
      server.close();
    }
  }
}
