package dev.corral.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corral.broker.testing.RedisProbe;
import dev.corral.broker.testing.RedisTestSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many producer threads on one queue: adds sent together in one script call still behave one by one. */
class ConcurrentAddIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private static RedisProbe probe;

  @BeforeAll
  static void connect() {
    probe = new RedisProbe(client);
  }

  @Test
  void concurrentAddsGetDistinctIdsAndEachIsStoredWithItsEvents() throws Exception {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("concurrent"));
    int producers = 40;
    int perProducer = 50;
    Map<String, Integer> dataById = new ConcurrentHashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < producers; w++) {
        int producer = w;
        futures.add(threads.submit(() -> {
          for (int i = 0; i < perProducer; i++) {
            int value = producer * 1000 + i;
            dataById.put(queue.add("c", Map.of("v", value)), value);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }

    int total = producers * perProducer;
    assertEquals(total, dataById.size(), "every add got its own id");
    assertEquals(String.valueOf(total), probe.string(queue.keys().id()));
    assertEquals(total, probe.list(queue.keys().waitList()).size());
    for (Map.Entry<String, Integer> e : dataById.entrySet()) {
      assertEquals(e.getValue().intValue(), queue.getJob(e.getKey()).orElseThrow().data().get("v").asInt());
    }
    List<String> names = probe.eventNames(queue.keys().events());
    assertEquals(2 * total, names.size());
    Set<String> added = new HashSet<>();
    probe.stream(queue.keys().events()).stream().filter(e -> e.get("event").equals("added"))
        .forEach(e -> added.add(e.get("jobId")));
    assertEquals(dataById.keySet(), added);
  }

  @Test
  void aDuplicateCustomIdInsideABatchIsReportedAsTheSameId() throws Exception {
    Queue queue = client.queue(RedisTestSupport.uniqueQueueName("concurrent-dup"));
    JobOptions sameId = JobOptions.builder().jobId("only-one").build();
    List<String> ids = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(threads.submit(() -> queue.add("d", Map.of(), sameId)));
      }
      for (Future<String> f : futures) {
        ids.add(f.get());
      }
    }
    assertEquals(20, ids.stream().filter("only-one"::equals).count());
    assertEquals(List.of("only-one"), probe.list(queue.keys().waitList()));
    assertEquals(19, probe.eventNames(queue.keys().events()).stream().filter("duplicated"::equals).count());
  }
}
