package dev.corral.api.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import dev.corral.api.executions.ExecutionRequest;
import dev.corral.api.jobs.AddJobRequest;
import dev.corral.api.jobs.JobOptionsParser;
import dev.corral.api.jobs.JobPaging;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobState;
import dev.corral.broker.dag.DagSpec;
import dev.corral.broker.dag.FailurePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure request parsing: bodies, job options, pagination, DAG specs. */
class RequestParsingTest {

  private static JsonNode json(String s) {
    return Bodies.object(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> fields(Runnable r) {
    ApiException e = assertThrows(ApiException.class, r::run);
    assertEquals(400, e.status().code());
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void bodiesMustBeOneJsonObject() {
    for (String bad : List.of("", "x", "[]", "1", "{} {}", "{\"a\":1,\"a\":2}", "[".repeat(100))) {
      assertEquals(List.of("body"), fields(() -> json(bad)), bad);
    }
  }

  @Test
  void everyOptionIsParsed() {
    Problems p = new Problems();
    JobOptions o = JobOptionsParser.parse(json("""
        {"job_id":"abc","priority":3,"delay":10,"attempts":4,"backoff":{"type":"fixed","delay":5,"jitter":0.5},
         "lifo":true,"remove_on_complete":true,"remove_on_fail":{"age":60,"count":5,"limit":10},"keep_logs":7,
         "stack_trace_limit":2,"size_limit":1000,"deduplication":{"id":"d","ttl":500,"extend":true}}"""),
        "options", null, p);
    assertEquals(List.of(), p.list());
    assertEquals("abc", o.jobId());
    assertEquals(3, o.priority());
    assertEquals(10, o.delay());
    assertEquals(4, o.attempts());
    assertEquals(0.5, o.backoff().jitter());
    assertTrue(o.lifo());
    assertEquals(0, o.removeOnComplete().count());
    assertEquals(60L, o.removeOnFail().ageSeconds());
    assertEquals(7, o.keepLogs());
    assertEquals(500L, o.deduplication().ttlMs());
    assertEquals(5, JobOptionsParser.parse(json("{\"backoff\":5}"), "options", null, new Problems()).backoff().delay());
  }

  @Test
  void deduplicationModesAreParsedAndBadOnesNamed() {
    Problems p = new Problems();
    JobOptions o = JobOptionsParser.parse(json("""
        {"deduplication":{"id":"d","reschedule":true,"keep_last_if_active":true}}"""), "options", null, p);
    assertEquals(List.of(), p.list());
    assertTrue(o.deduplication().reschedule());
    assertTrue(o.deduplication().keepLastIfActive());

    Problems bad = new Problems();
    assertNull(JobOptionsParser.parse(json("""
        {"deduplication":{"id":"d","reschedule":"yes","keep_last_if_active":1}}"""), "options", null, bad));
    assertEquals(List.of("options.deduplication.reschedule", "options.deduplication.keep_last_if_active"),
        bad.list().stream().map(FieldError::field).toList());

    Problems both = new Problems();
    assertNull(JobOptionsParser.parse(json("""
        {"deduplication":{"id":"d","ttl":100,"extend":true,"replace":true,"reschedule":true}}"""),
        "options", null, both));
    assertEquals(List.of("options.deduplication"), both.list().stream().map(FieldError::field).toList());
  }

  @Test
  void badOptionsNameTheirFields() {
    Problems p = new Problems();
    assertNull(JobOptionsParser.parse(json("""
        {"job_id":"12","priority":2097152,"delay":1.5,"attempts":0,"backoff":{"delay":1},"lifo":"yes",
         "remove_on_complete":"all","remove_on_fail":{"count":-1},"deduplication":{"extend":true},"x":1}"""),
        "options", null, p));
    assertEquals(List.of("options.x", "options.job_id", "options.priority", "options.delay", "options.attempts",
        "options.lifo", "options.backoff.type", "options.remove_on_complete", "options.remove_on_fail.count",
        "options.deduplication.id"), p.list().stream().map(FieldError::field).toList());
  }

  @Test
  void addJobRequests() {
    AddJobRequest r = AddJobRequest.parse(json("{\"name\":\"a\",\"idempotency_key\":\"k\"}"));
    assertEquals("a", r.name());
    assertTrue(r.data().isObject());
    assertEquals("k", r.idempotencyKey());
    assertEquals(List.of("name"), fields(() -> AddJobRequest.parse(json("{}"))));
    assertEquals(List.of("idempotency_key"), fields(() -> AddJobRequest.parse(json(
        "{\"name\":\"a\",\"idempotency_key\":\"\"}"))));
    assertEquals(List.of("idempotency_key"), fields(() -> AddJobRequest.parse(json(
        "{\"name\":\"a\",\"idempotency_key\":\"" + "k".repeat(257) + "\"}"))));
    String id = AddJobRequest.derivedJobId("order-1");
    JobOptions.validateJobId(id);
    assertEquals(id, AddJobRequest.derivedJobId("order-1"));
    assertTrue(!id.equals(AddJobRequest.derivedJobId("order-2")));
  }

  @Test
  void paramsAndPaging() {
    assertEquals(new Params.Page(0, 20), Params.page(null, null));
    assertEquals(new Params.Page(5, 1000), Params.page("5", "1000"));
    assertEquals(List.of("limit"), fields(() -> Params.page("0", "1001")));
    assertEquals(List.of("offset"), fields(() -> Params.page("-1", "1")));
    assertTrue(Params.flag("logs", "true"));
    assertEquals(List.of("force"), fields(() -> Params.flag("force", "yes")));
    assertEquals(List.of("state"), fields(() -> JobPaging.state("unknown")));
    assertEquals(JobState.WAITING, JobPaging.state("wait"));

    Map<JobState, Long> counts = new LinkedHashMap<>();
    counts.put(JobState.ACTIVE, 2L);
    counts.put(JobState.WAITING, 0L);
    counts.put(JobState.DELAYED, 5L);
    assertEquals(List.of(new JobPaging.Slice(JobState.ACTIVE, 1, 1), new JobPaging.Slice(JobState.DELAYED, 0, 2)),
        JobPaging.slices(counts, 1, 4));
    assertEquals(List.of(new JobPaging.Slice(JobState.DELAYED, 3, 4)), JobPaging.slices(counts, 5, 10));
    assertEquals(List.of(), JobPaging.slices(counts, 7, 10));
  }

  @Test
  void executionSpecs() {
    DagSpec spec = ExecutionRequest.parse(json("""
        {"workflow_id":"wf","parallelism":2,"default_policy":"continue","retention_seconds":60,"nodes":[
         {"id":"a","queue":"q"},{"id":"b","queue":"q","depends_on":["a"],"failure_policy":"skip",
          "options":{"priority":1}}]}"""));
    assertEquals("wf", spec.workflowId());
    assertTrue(spec.executionId() != null, "an id is generated");
    assertEquals(2, spec.parallelism());
    assertEquals(FailurePolicy.CONTINUE, spec.defaultPolicy());
    assertEquals(Duration.ofSeconds(60), spec.retention());
    assertEquals(List.of("a"), spec.nodes().get(1).dependsOn());
    assertEquals(FailurePolicy.SKIP, spec.nodes().get(1).failurePolicy());
    assertEquals(1, spec.nodes().get(1).options().priority());

    List<String> problems = fields(() -> ExecutionRequest.parse(json("""
        {"workflow_id":5,"retention_seconds":0,"nodes":[{"id":"a","queue":"q","depends_on":"b"},
         {"queue":"q","options":{"deduplication":{"id":"x"}}}, 3]}""")));
    assertEquals(List.of("workflow_id", "retention_seconds", "nodes[0].depends_on", "nodes[2]", "nodes[1].id",
        "nodes[1].options.deduplication"), problems);
    assertEquals(List.of("nodes"), fields(() -> ExecutionRequest.parse(json("{\"workflow_id\":\"wf\"}"))));
  }
}
