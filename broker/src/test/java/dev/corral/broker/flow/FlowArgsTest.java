package dev.corral.broker.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Flattening and argument building of flows (pure). */
class FlowArgsTest {

  private static FlowJob job(String queue, String id, FlowJob... children) {
    return FlowJob.of(queue, id, null).withOptions(JobOptions.builder().jobId(id).build()).withChildren(children);
  }

  @Test
  void nodesAreSentBreadthFirstAsBullmqQueuesThem() {
    FlowJob tree = job("q", "root", job("q", "a", job("q", "a1"), job("q", "a2")), job("q", "b", job("q", "b1")));
    FlowArgs args = FlowArgs.build(List.of(tree), List.of(""), "bull", 5, () -> "unused");
    assertEquals(List.of("root", "a", "b", "a1", "a2", "b1"),
        args.entries().stream().map(FlowArgs.Entry::jobId).toList());
    assertEquals(List.of("", "children[0]", "children[1]", "children[0].children[0]", "children[0].children[1]",
        "children[1].children[0]"), args.entries().stream().map(FlowArgs.Entry::path).toList());
    assertEquals("bull:q:", args.routingKey());
  }

  @Test
  void eachNodeCarriesItsQueueItsParentAndWhetherItWaitsForChildren() {
    FlowJob tree = job("pq", "p", FlowJob.of("cq", "c", null).withPrefix("alt")
        .withOptions(JobOptions.builder().failParentOnFailure(true).build()));
    AtomicInteger n = new AtomicInteger();
    Object[] a = FlowArgs.build(List.of(tree), List.of(""), "bull", 42, () -> "id-" + n.incrementAndGet()).args();
    assertEquals("42", a[0]);
    assertEquals("2", a[1]);
    int child = 2 + FlowArgs.STRIDE;
    assertEquals("bull:pq:", a[2]);
    assertEquals("1", a[2 + 17]);
    assertEquals("alt:cq:", a[child]);
    assertEquals("id-1", a[child + 1]);
    assertEquals("{\"fpof\":true,\"attempts\":0,\"parent\":{\"id\":\"p\",\"queue\":\"bull:pq\"}}", a[child + 4]);
    assertEquals("42", a[child + 5]);
    assertEquals("bull:pq:p", a[child + 15]);
    assertEquals("{\"id\":\"p\",\"queueKey\":\"bull:pq\",\"fpof\":true}", a[child + 16]);
    assertEquals("0", a[child + 17]);
  }

  @Test
  void treesAreRebuiltWithTheReturnedIds() {
    FlowJob tree = job("q", "root", job("q", "a"), job("r", "b"));
    FlowArgs args = FlowArgs.build(List.of(tree), List.of(""), "bull", 1, () -> "x");
    assertEquals(new JobNode("bull", "q", "root", List.of(new JobNode("bull", "q", "a", List.of()),
        new JobNode("bull", "r", "existing", List.of()))), args.trees(List.of("root", "a", "existing")).get(0));
  }

  @Test
  void aBadPrefixIsNamedWithItsPath() {
    FlowJob tree = job("q", "root", FlowJob.of("q", "x", null).withPrefix(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FlowArgs.build(List.of(tree), List.of(""), "bull", 1, () -> "x"));
    assertEquals("children[0].prefix cannot be empty", e.getMessage());
  }

  @Test
  void deduplicationIsRefusedOnANodeWithAParentOrChildrenButAllowedOnALoneRoot() {
    JobOptions keepLast = JobOptions.builder().deduplication(Deduplication.simple("k").withKeepLastIfActive()).build();
    JobOptions simple = JobOptions.builder().deduplication(Deduplication.simple("s")).build();
    for (JobOptions dedup : List.of(keepLast, simple)) {
      FlowJob child = FlowJob.of("q", "c", null).withOptions(dedup);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> FlowArgs.build(List.of(job("q", "root", child)), List.of(""), "bull", 1, () -> "x"));
      assertEquals("children[0].options.deduplication: Deduplication and parent options cannot be used together",
          e.getMessage());
      FlowJob parent = FlowJob.of("q", "p", null).withOptions(dedup).withChildren(job("q", "c2"));
      IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
          () -> FlowArgs.build(List.of(parent), List.of(""), "bull", 1, () -> "x"));
      assertEquals("options.deduplication: Deduplication options cannot be used on flow nodes with children",
          p.getMessage());
    }
    Object[] a = FlowArgs.build(List.of(FlowJob.of("q", "lone", null).withOptions(keepLast)), List.of(""), "bull", 1,
        () -> "x").args();
    assertEquals("1", a[2 + 14]);
    assertEquals("0", a[2 + 13]);
  }
}
