package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import dev.corral.broker.KeepJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagValidatorTest {

  private static DagValidationException refused(Dag.Builder builder) {
    return assertThrows(DagValidationException.class, builder::build);
  }

  private static DagProblem only(DagValidationException e) {
    assertEquals(1, e.problems().size(), e.problems().toString());
    return e.problems().get(0);
  }

  @Test
  void aDiamondIsValidAndKnowsItsDependents() {
    DagSpec spec = Dag.builder("wf")
        .node("a").queue("q")
        .node("b").queue("q").dependsOn("a")
        .node("c").queue("other").dependsOn("a")
        .node("d").queue("q").dependsOn("b", "c")
        .build();

    ValidatedDag dag = new DagValidator().validate(spec);
    assertEquals(List.of("b", "c"), dag.dependents().get("a"));
    assertEquals(List.of("d"), dag.dependents().get("b"));
    assertEquals(List.of("d"), dag.dependents().get("c"));
    assertEquals(List.of(), dag.dependents().get("d"));
    assertEquals(List.of("{}", "{}", "{}", "{}"), dag.dataJson());
    assertEquals("a", spec.nodes().get(0).jobName(), "job name defaults to the node id");
    assertEquals(FailurePolicy.FAIL, spec.defaultPolicy());
  }

  @Test
  void aFanOutFanInIsValid() {
    Dag.Builder b = Dag.builder("wf").node("start").queue("q");
    List<String> middle = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      b.node("m" + i).queue("q").dependsOn("start").data(Map.of("i", i));
      middle.add("m" + i);
    }
    b.node("end").queue("q").dependsOn(middle.toArray(String[]::new));

    ValidatedDag dag = new DagValidator().validate(b.build());
    assertEquals(middle, dag.dependents().get("start"));
    assertEquals("{\"i\":7}", dag.dataJson().get(8));
  }

  @Test
  void tenThousandNodesValidate() {
    Dag.Builder b = Dag.builder("big");
    for (int i = 0; i < 10_000; i++) {
      b.node("n" + i).queue("q" + (i % 10)).data(Map.of("i", i));
      if (i > 0) {
        b.dependsOn("n" + ((i - 1) / 2)); // a binary tree
      }
      if (i > 10 && i - 10 != (i - 1) / 2) {
        b.dependsOn("n" + (i - 10));
      }
    }
    long start = System.nanoTime();
    DagSpec spec = b.build();
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("validated 10000 nodes in " + ms + " ms");
    assertEquals(10_000, spec.nodes().size());
    assertTrue(ms < 30_000, "validation took " + ms + " ms");
  }

  @Test
  void anEmptyGraphIsRefused() {
    DagProblem p = only(refused(Dag.builder("wf")));
    assertEquals("nodes", p.field());
    assertTrue(p.message().contains("no nodes"), p.message());
  }

  @Test
  void aDuplicateNodeIdIsRefusedNamingBothPlaces() {
    DagProblem p = only(refused(Dag.builder("wf").node("a").queue("q").node("a").queue("q")));
    assertEquals("nodes[1].id", p.field());
    assertEquals("a", p.node());
    assertTrue(p.message().contains("duplicate node id 'a'") && p.message().contains("nodes[0]"), p.message());
  }

  @Test
  void unknownSelfAndRepeatedDependenciesAreAllReported() {
    DagValidationException e = refused(Dag.builder("wf")
        .node("a").queue("q").dependsOn("ghost")
        .node("b").queue("q").dependsOn("b")
        .node("c").queue("q").dependsOn("a", "a"));
    assertEquals(List.of(
        new DagProblem("nodes[0].dependsOn", "a", "unknown dependency 'ghost'"),
        new DagProblem("nodes[1].dependsOn", "b", "node 'b' depends on itself"),
        new DagProblem("nodes[2].dependsOn", "c", "dependency 'a' is listed twice")), e.problems());
    assertTrue(e.getMessage().contains("3 problem(s)"), e.getMessage());
  }

  @Test
  void aCycleIsReportedAsOnePath() {
    DagProblem p = only(refused(Dag.builder("wf")
        .node("root").queue("q")
        .node("a").queue("q").dependsOn("root", "c")
        .node("b").queue("q").dependsOn("a")
        .node("c").queue("q").dependsOn("b")));
    assertEquals("nodes[1].dependsOn", p.field());
    assertEquals("a", p.node());
    assertTrue(p.message().contains("a → b → c → a"), p.message());
  }

  @Test
  void aTwoNodeCycleIsFound() {
    DagProblem p = only(refused(Dag.builder("wf")
        .node("x").queue("q").dependsOn("y")
        .node("y").queue("q").dependsOn("x")));
    assertTrue(p.message().contains("x → y → x"), p.message());
  }

  @Test
  void tooManyNodesAndTooMuchDataAreRefused() {
    Dag.Builder b = Dag.builder("wf").limits(new DagLimits(3, 20));
    for (int i = 0; i < 4; i++) {
      b.node("n" + i).queue("q").data(Map.of("text", "0123456789"));
    }
    DagValidationException e = refused(b);
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).message().contains("4 nodes, above the limit of 3"), e.getMessage());
    assertEquals("nodes[].data", e.problems().get(1).field());
    assertTrue(e.problems().get(1).message().contains("above the limit of 20"), e.getMessage());
  }

  @Test
  void theDefaultLimitsAreTenThousandNodesAnd64MiB() {
    assertEquals(10_000, DagLimits.defaults().maxNodes());
    assertEquals(64L * 1024 * 1024, DagLimits.defaults().maxDataBytes());
    Dag.Builder b = Dag.builder("wf");
    for (int i = 0; i <= 10_000; i++) {
      b.node("n" + i).queue("q");
    }
    assertTrue(only(refused(b)).message().contains("10001 nodes, above the limit of 10000"));
  }

  @Test
  void badIdsAreRefusedNamingTheField() {
    DagValidationException e = refused(Dag.builder("bad workflow").executionId("x:y")
        .node("ok").queue("q")
        .node("has space").queue("q")
        .node("").queue("q")
        .node("x".repeat(129)).queue("q"));
    List<String> fields = e.problems().stream().map(DagProblem::field).toList();
    assertEquals(List.of("workflowId", "executionId", "nodes[1].id", "nodes[2].id", "nodes[3].id"), fields);
    assertTrue(e.problems().get(0).message().contains("[A-Za-z0-9._-]{1,128}, was 'bad workflow'"));
    assertEquals("has space", e.problems().get(2).node());
  }

  @Test
  void aMissingWorkflowIdIsRefused() {
    DagProblem p = only(refused(Dag.builder(null).node("a").queue("q")));
    assertEquals("workflowId", p.field());
    assertEquals("workflowId is required", p.message());
  }

  @Test
  void invalidQueueNamesUseTheQueueChecks() {
    DagValidationException e = refused(Dag.builder("wf")
        .node("a").queue("has:colon")
        .node("b")
        .node("c").queue(" "));
    assertEquals(List.of("nodes[0].queue", "nodes[1].queue", "nodes[2].queue"),
        e.problems().stream().map(DagProblem::field).toList());
    assertTrue(e.problems().get(0).message().contains("cannot contain ':'"), e.getMessage());
    assertEquals("queue is required", e.problems().get(1).message());
  }

  @Test
  void jobOptionsADagNodeMayNotHaveAreRefused() {
    DagValidationException e = refused(Dag.builder("wf")
        .node("a").queue("q").options(JobOptions.builder().removeOnComplete(KeepJobs.none()).build())
        .node("b").queue("q").options(JobOptions.builder().removeOnFail(KeepJobs.count(3)).build())
        .node("c").queue("q").options(JobOptions.builder().deduplication(Deduplication.simple("d")).build())
        .node("d").queue("q").options(JobOptions.builder().jobId("same").build())
        .node("e").queue("q").options(JobOptions.builder().jobId("same").build())
        .node("f").queue("r").options(JobOptions.builder().jobId("same").build()));
    assertEquals(List.of("nodes[0].options.removeOnComplete", "nodes[1].options.removeOnFail",
        "nodes[2].options.deduplication", "nodes[4].options.jobId"),
        e.problems().stream().map(DagProblem::field).toList());
  }

  @Test
  void jobOptionsThemselvesAreCheckedWhenBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobOptions.builder().priority(-1).build());
    assertTrue(e.getMessage().contains("priority"), e.getMessage());
  }

  @Test
  void dataOverTheNodesSizeLimitOrNotSerialisableIsRefused() {
    DagValidationException e = refused(Dag.builder("wf")
        .node("a").queue("q").data(Map.of("k", "long text")).options(JobOptions.builder().sizeLimit(5).build())
        .node("b").queue("q").data(new Object() {
          public Object getSelf() {
            throw new IllegalStateException("boom");
          }
        }));
    assertEquals(List.of("nodes[0].data", "nodes[1].data"), e.problems().stream().map(DagProblem::field).toList());
    assertTrue(e.problems().get(0).message().contains("above the job's sizeLimit of 5"), e.getMessage());
    assertTrue(e.problems().get(1).message().contains("cannot be serialised"), e.getMessage());
  }

  @Test
  void executionLevelSettingsAreChecked() {
    DagValidationException e = refused(Dag.builder("wf").parallelism(-1).retention(Duration.ZERO)
        .idempotencyKey("").workflowName("x".repeat(300))
        .node("a").queue("q"));
    assertEquals(List.of("workflowName", "idempotencyKey", "parallelism", "retention"),
        e.problems().stream().map(DagProblem::field).toList());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    DagValidationException e = refused(Dag.builder("wf")
        .node("a").queue("q:").dependsOn("nope")
        .node("a").queue("q")
        .node("b").queue("q").dependsOn("c")
        .node("c").queue("q").dependsOn("b"));
    assertEquals(4, e.problems().size(), e.problems().toString());
  }

  @Test
  void nodeMethodsBeforeAnyNodeAreAProgrammingError() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dag.builder("wf").queue("q"));
    assertTrue(e.getMessage().contains("node(id) first"));
  }

  @Test
  void policiesHaveWireNames() {
    assertEquals("continue", FailurePolicy.CONTINUE.wireName());
    assertEquals(FailurePolicy.SKIP, FailurePolicy.fromWireName("skip"));
    assertThrows(IllegalArgumentException.class, () -> FailurePolicy.fromWireName("SKIP"));
  }
}
