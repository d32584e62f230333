package dev.corral.broker.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.BrokerException;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.JobState;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.ScriptError;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.MutableClock;
import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import dev.corral.broker.testing.ScriptDriver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FlowProducer against real Redis: stored layout, validation, atomicity, and parents of deleted children. */
class FlowProducerIT {

  private static final long NOW = 1_795_315_090_670L;
  private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  private static BrokerClient client;
  private static RedisProbe probe;
  private static FlowProducer flows;

  private String parentQueue;
  private String childQueue;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.newClient(new MutableClock(NOW));
    probe = new RedisProbe(client);
    flows = new FlowProducer(client);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void queues() {
    parentQueue = RedisTestSupport.uniqueQueueName("fparent");
    childQueue = RedisTestSupport.uniqueQueueName("fchild");
  }

  private FlowJob car(FlowJob... children) {
    return FlowJob.of(parentQueue, "assemble", Map.of("car", "x"))
        .withOptions(JobOptions.builder().jobId("car-1").build()).withChildren(children);
  }

  private FlowJob child(String name, String jobId) {
    return FlowJob.of(childQueue, name, Map.of("n", 4))
        .withOptions(jobId == null ? null : JobOptions.builder().jobId(jobId).build());
  }

  private static JsonNode json(String text) {
    return Json.parseLenient(text);
  }

  @Test
  void aFlowIsStoredWithBullmqsParentChildLayout() {
    JobNode tree = flows.add(car(child("wheels", "wheels-1"), child("engine", null)));

    QueueKeys pk = QueueKeys.of(parentQueue);
    QueueKeys ck = QueueKeys.of(childQueue);
    String engineId = tree.children().get(1).id();
    assertTrue(engineId.matches(UUID_V4), engineId);
    assertEquals(new JobNode("bull", parentQueue, "car-1", List.of(
        new JobNode("bull", childQueue, "wheels-1", List.of()), new JobNode("bull", childQueue, engineId, List.of()))),
        tree);

    Map<String, String> parent = probe.hash(pk.job("car-1"));
    assertEquals(json("{\"jobId\":\"car-1\",\"attempts\":0}"), json(parent.get("opts")));
    assertFalse(parent.containsKey("parentKey"));
    assertEquals(List.of(Map.entry("car-1", (double) NOW)), probe.zset(pk.waitingChildren()));
    assertEquals(Set.of(ck.job("wheels-1"), ck.job(engineId)),
        Set.copyOf(client.redisson().getSet(pk.job("car-1") + ":dependencies").readAll()));

    for (String id : List.of("wheels-1", engineId)) {
      Map<String, String> c = probe.hash(ck.job(id));
      assertEquals(pk.job("car-1"), c.get("parentKey"));
      assertEquals(json("{\"id\":\"car-1\",\"queueKey\":\"bull:" + parentQueue + "\"}"), json(c.get("parent")));
      String customId = id.equals("wheels-1") ? "\"jobId\":\"wheels-1\"," : "";
      assertEquals(json("{" + customId + "\"parent\":{\"id\":\"car-1\",\"queue\":\"bull:" + parentQueue + "\"},"
          + "\"attempts\":0}"), json(c.get("opts")));
    }
    assertEquals(List.of(engineId, "wheels-1"), probe.list(ck.waitList()));
    assertEquals("1", probe.string(pk.id()));
    assertEquals("2", probe.string(ck.id()));
    assertEquals(List.of(Map.of("event", "added", "jobId", "car-1", "name", "assemble"),
        Map.of("event", "waiting-children", "jobId", "car-1")), probe.stream(pk.events()));
    assertFalse(probe.hash(pk.meta()).containsKey("library"), "a flow producer writes no library field");
  }

  @Test
  void childrenMayLiveUnderAnotherPrefix() {
    JobNode tree = flows.add(car(child("wheels", "w").withPrefix("alt")));
    QueueKeys alt = new QueueKeys("alt", childQueue);
    assertEquals("alt:" + childQueue + ":w", tree.children().get(0).key());
    assertEquals(QueueKeys.of(parentQueue).job("car-1"), probe.hash(alt.job("w")).get("parentKey"));
    assertEquals(Set.of(alt.job("w")), Set.copyOf(client.redisson()
        .getSet(QueueKeys.of(parentQueue).job("car-1") + ":dependencies").readAll()));
  }

  @Test
  void failurePoliciesAreStoredInOptsAndInTheParentJson() {
    Map<String, JobOptions.Builder> policies = Map.of(
        "fpof", JobOptions.builder().failParentOnFailure(true),
        "cpof", JobOptions.builder().continueParentOnFailure(true),
        "idof", JobOptions.builder().ignoreDependencyOnFailure(true),
        "rdof", JobOptions.builder().removeDependencyOnFailure(true));
    policies.forEach((flag, options) -> {
      String id = "c-" + flag;
      flows.add(car(child("c", null).withOptions(options.jobId(id).build())));
      Map<String, String> c = probe.hash(QueueKeys.of(childQueue).job(id));
      assertEquals(json("{\"id\":\"car-1\",\"queueKey\":\"bull:" + parentQueue + "\",\"" + flag + "\":true}"),
          json(c.get("parent")), flag);
      assertEquals(json("{\"jobId\":\"" + id + "\",\"parent\":{\"id\":\"car-1\",\"queue\":\"bull:" + parentQueue
          + "\"},\"" + flag + "\":true,\"attempts\":0}"), json(c.get("opts")), flag);
    });
  }

  @Test
  void failurePoliciesAreMutuallyExclusive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobOptions.builder().failParentOnFailure(true).removeDependencyOnFailure(true).build());
    assertTrue(e.getMessage().contains("failParentOnFailure") && e.getMessage().contains("removeDependencyOnFailure"),
        e.getMessage());
  }

  @Test
  void invalidNodesAreRejectedNamingTheirPathAndNothingIsWritten() {
    FlowJob badQueue = car(child("a", "a"), child("b", "b").withChildren(
        FlowJob.of("bad:name", "x", null)));
    assertMessage("children[1].children[0].queueName cannot contain ':'", () -> flows.add(badQueue));
    assertMessage("children[0].name cannot be null", () -> flows.add(car(
        new FlowJob(childQueue, null, null, null, null, null))));
    assertMessage("children[1] cannot be null", () -> flows.add(car(child("a", "a"), null)));
    assertMessage("children[1].options.jobId 'a' is used twice in the flow (also at children[0])",
        () -> flows.add(car(child("a", "a"), child("b", "a"))));
    assertMessage("children[0].data cannot be serialised", () -> flows.add(car(
        FlowJob.of(childQueue, "x", new Object() {
          @SuppressWarnings("unused")
          public Object getSelf() {
            throw new IllegalStateException("boom");
          }
        }))));
    assertMessage("flows[1].children[0].queueName cannot be empty", () -> flows.addBulk(List.of(
        car(child("a", "a")), FlowJob.of(parentQueue, "p2", null).withChildren(FlowJob.of(" ", "x", null)))));
    assertFalse(probe.exists(QueueKeys.of(parentQueue).job("car-1")));
    assertFalse(probe.exists(QueueKeys.of(parentQueue).events()));
    assertFalse(probe.exists(QueueKeys.of(childQueue).events()));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expected), "message: " + e.getMessage());
  }

  @Test
  void aChildIdOwnedByAnotherLiveParentFailsTheWholeFlowWithoutWritingAnything() {
    flows.add(car(child("wheels", "shared")));
    FlowJob other = FlowJob.of(parentQueue, "other", null).withOptions(JobOptions.builder().jobId("other").build())
        .withChildren(child("x", "fresh"), child("y", "shared"));
    BrokerException e = assertThrows(BrokerException.class, () -> flows.add(other));
    assertEquals(ScriptError.PARENT_JOB_CANNOT_BE_REPLACED, e.error());
    assertTrue(e.getMessage().startsWith("children[1]: "), e.getMessage());
    assertFalse(probe.exists(QueueKeys.of(parentQueue).job("other")));
    assertFalse(probe.exists(QueueKeys.of(childQueue).job("fresh")));
  }

  @Test
  void aRootAttachedToAMissingJobFailsWithoutWritingAndAChildCannotNameItsOwnParent() {
    FlowJob attached = car(child("a", "a")).withOptions(JobOptions.builder().jobId("car-1")
        .parent(JobParent.of(childQueue, "missing")).build());
    BrokerException e = assertThrows(BrokerException.class, () -> flows.add(attached));
    assertEquals(ScriptError.PARENT_JOB_NOT_EXIST, e.error());
    assertFalse(probe.exists(QueueKeys.of(parentQueue).job("car-1")));
    assertFalse(probe.exists(QueueKeys.of(childQueue).job("a")));
    assertMessage("children[0].options.parent: a flow child's parent is its flow node", () -> flows.add(car(
        child("a", "a").withOptions(JobOptions.builder().jobId("a").parent(JobParent.of(childQueue, "x")).build()))));
  }

  @Test
  void addBulkAddsEveryTreeInOneCall() {
    List<JobNode> trees = flows.addBulk(List.of(car(child("a", "a")),
        FlowJob.of(parentQueue, "solo", null).withOptions(JobOptions.builder().jobId("solo").build())));
    assertEquals(List.of("car-1", "solo"), trees.stream().map(JobNode::id).toList());
    assertEquals(List.of("solo"), probe.list(QueueKeys.of(parentQueue).waitList()));
    assertEquals(JobState.WAITING_CHILDREN, client.queue(parentQueue).getState("car-1"));
  }

  @Test
  void aChildThatAlreadyCompletedReleasesItsNewParentOnceTheFlowIsStored() {
    Queue children = client.queue(childQueue);
    children.add("done", null, JobOptions.builder().jobId("done-1").build());
    new ScriptDriver(children).takeAndComplete("{\"v\":1}");

    flows.add(car(child("done", "done-1")));

    Queue parents = client.queue(parentQueue);
    assertEquals(JobState.WAITING, parents.getState("car-1"));
    assertEquals(Map.of(QueueKeys.of(childQueue).job("done-1"), json("{\"v\":1}")), parents.getChildrenValues("car-1"));
    assertEquals(new DependencyCounts(1, 0, 0, 0), parents.getDependenciesCount("car-1"));
  }

  @Test
  void aReleasedParentKeepsItsPriority() {
    flows.add(car(child("a", "a")).withOptions(JobOptions.builder().jobId("car-1").priority(7).build()));
    new ScriptDriver(client.queue(childQueue)).takeAndComplete("1");
    assertEquals(JobState.PRIORITIZED, client.queue(parentQueue).getState("car-1"));
  }

  @Test
  void aFailedChildNotKeptIsDetachedAndReleasesItsParent() {
    flows.add(car(child("a", "a")));
    JobLifecycle lifecycle = new JobLifecycle(client, QueueKeys.of(childQueue));
    String id = new ScriptDriver(client.queue(childQueue)).take("0");
    lifecycle.fail(id, "0", "boom", "[]", KeepJobs.none(), 0, null);

    assertEquals(JobState.WAITING, client.queue(parentQueue).getState("car-1"));
    assertFalse(probe.exists(QueueKeys.of(parentQueue).job("car-1") + ":dependencies"));
    assertEquals(Map.of("event", "waiting", "jobId", "car-1", "prev", "waiting-children"),
        probe.stream(QueueKeys.of(parentQueue).events()).getLast());
  }

  @Test
  void trimmingFailedJobsByCountDetachesATrimmedChildFromItsParent() {
    flows.add(car(child("a", "a")).withOptions(JobOptions.builder().jobId("car-1").priority(3).build()));
    Queue children = client.queue(childQueue);
    children.add("other", null, JobOptions.builder().jobId("other").build());
    ScriptDriver driver = new ScriptDriver(children);
    JobLifecycle lifecycle = new JobLifecycle(client, QueueKeys.of(childQueue));
    driver.takeAndFail("first"); // the child "a": no policy, so it stays pending in the parent
    assertEquals(JobState.WAITING_CHILDREN, client.queue(parentQueue).getState("car-1"));

    String other = driver.take("0");
    assertEquals("other", other);
    lifecycle.fail(other, "0", "second", "[]", KeepJobs.count(1), 0, null);

    assertFalse(probe.exists(QueueKeys.of(childQueue).job("a")), "trimmed");
    // as BullMQ's removeParentDependencyKey: straight to wait, the parent's priority is not applied
    assertEquals(List.of("car-1"), probe.list(QueueKeys.of(parentQueue).waitList()));
  }

  @Test
  void trimmingByAgeDetachesTrimmedChildren() {
    flows.add(car(child("a", "a"), child("b", "b")));
    ScriptDriver driver = new ScriptDriver(client.queue(childQueue));
    JobLifecycle lifecycle = new JobLifecycle(client, QueueKeys.of(childQueue));
    driver.takeAndFail("kept then aged out"); // "a"; finishedOn = NOW, pending in the parent
    String b = driver.take("0");
    lifecycle.fail(b, "0", "b", "[]", KeepJobs.age(0, null, null), 0, null);

    assertFalse(probe.exists(QueueKeys.of(childQueue).job("a")));
    assertFalse(probe.exists(QueueKeys.of(childQueue).job("b")));
    assertEquals(JobState.WAITING, client.queue(parentQueue).getState("car-1"));
  }

  @Test
  void dependenciesListEveryOutcome() {
    flows.add(car(child("ok", "ok"), child("bad", null).withOptions(JobOptions.builder().jobId("bad")
        .ignoreDependencyOnFailure(true).build()), child("later", "later")));
    ScriptDriver driver = new ScriptDriver(client.queue(childQueue));
    driver.takeAndComplete("\"fine\"");
    driver.takeAndFail("nope");

    QueueKeys ck = QueueKeys.of(childQueue);
    Dependencies d = client.queue(parentQueue).getDependencies("car-1");
    assertEquals(Map.of(ck.job("ok"), json("\"fine\"")), d.processed());
    assertEquals(List.of(ck.job("later")), d.unprocessed());
    assertEquals(Map.of(ck.job("bad"), "nope"), d.ignored());
    assertEquals(List.of(), d.failed());
    assertEquals(new DependencyCounts(1, 1, 1, 0), client.queue(parentQueue).getDependenciesCount("car-1"));
  }
}
