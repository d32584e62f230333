package dev.corral.broker.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.JobOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagSubmitArgsTest {

  @Test
  void buildsTheHeaderAndOneGroupPerNode() {
    DagSpec spec = Dag.builder("wf").workflowName("Nightly").parallelism(3).idempotencyKey("k1")
        .defaultFailurePolicy(FailurePolicy.CONTINUE).retention(Duration.ofHours(1))
        .node("a").queue("etl").jobName("extract").data(Map.of("x", 1))
        .options(JobOptions.builder().jobId("job-a").delay(50).priority(7).lifo(true).timestamp(123).build())
        .node("b").queue("load").dependsOn("a").failurePolicy(FailurePolicy.SKIP)
        .build();
    Object[] args = DagSubmitArgs.build(new DagValidator().validate(spec), "e1", new DagKeys("bull"), 1000);

    assertEquals(DagSubmitArgs.HEADER + 2 * DagSubmitArgs.STRIDE, args.length);
    assertEquals("e1", args[0]);
    assertEquals("1000", args[1]);
    assertEquals("wf", args[2]);
    assertEquals("Nightly", args[3]);
    assertEquals("3", args[4]);
    assertEquals("continue", args[5]);
    assertEquals("3600", args[6]);
    assertEquals("k1", args[7]);
    assertEquals("2", args[8]);
    int a = DagSubmitArgs.HEADER;
    assertEquals("a", args[a]);
    assertEquals("bull:etl:", args[a + 1]);
    assertEquals("job-a", args[a + 2]);
    assertEquals("extract", args[a + 3]);
    assertEquals("{\"x\":1}", args[a + 4]);
    assertEquals(JobOptions.builder().jobId("job-a").delay(50).priority(7).lifo(true).timestamp(123).build()
        .toWireJson(), args[a + 5]);
    assertEquals("123", args[a + 6]);
    assertEquals("50", args[a + 7]);
    assertEquals("7", args[a + 8]);
    assertEquals("1", args[a + 9]);
    assertEquals("0", args[a + 10]);
    assertEquals("\"queue\":\"bull:etl:\",\"deps\":[],\"dependents\":[\"b\"],\"policy\":\"continue\"}", args[a + 11]);
    int b = a + DagSubmitArgs.STRIDE;
    assertEquals("", args[b + 2]);
    assertEquals("b", args[b + 3], "job name defaults to the node id");
    assertEquals("{}", args[b + 4]);
    assertEquals("1000", args[b + 6]);
    assertEquals("1", args[b + 10]);
    assertEquals("\"queue\":\"bull:load:\",\"deps\":[\"a\"],\"dependents\":[],\"policy\":\"skip\"}", args[b + 11]);
  }

  @Test
  void dagKeysNameEveryKeyUnderThePrefix() {
    DagKeys keys = new DagKeys("{bull}");
    assertEquals("{bull}:dag:", keys.base());
    assertEquals("{bull}:dag:e1:state", keys.state("e1"));
    assertEquals("{bull}:dag:status:running", keys.status(ExecutionStatus.RUNNING));
    assertEquals("{bull}:dag:workflow:wf", keys.workflow("wf"));
    assertEquals("{bull}:dag:idem:k", keys.idempotency("k"));
    assertEquals("etl", keys.queueName("{bull}:etl:"));
  }
}
