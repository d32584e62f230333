package dev.corral.sdk.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.support.Json;
import dev.corral.broker.testing.Await;
import dev.corral.broker.workers.ProcessInfo;
import dev.corral.broker.workers.ProcessState;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools of the test children under {@code src/test/resources/pool/}, closed by {@link #closeAll()}. */
class PoolTestSupport {

  static final Duration WAIT = Duration.ofSeconds(15);

  private final List<PoolProcessor> pools = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  static Path script(String name) {
    try {
      return Path.of(PoolTestSupport.class.getResource("/pool/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node child, fast maintenance. */
  static ProcessPoolOptions.Builder node() {
    return ProcessPoolOptions.builder("node", script("child.js").toString()).maxProcesses(2)
        .maintenanceInterval(Duration.ofMillis(50)).stopGrace(Duration.ofSeconds(2));
  }

  PoolProcessor pool(ProcessPoolOptions.Builder options) {
    PoolProcessor p = new PoolProcessor(options.build());
    pools.add(p);
    return p;
  }

  void closeAll() {
    pools.forEach(PoolProcessor::close);
    threads.shutdownNow();
  }

  FakeJobContext ctx(String dataJson) {
    return new FakeJobContext(Integer.toString(ids.incrementAndGet()), dataJson);
  }

  static String data(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return Json.write(map, "data", "{}");
  }

  Future<JsonNode> submit(PoolProcessor pool, FakeJobContext ctx) {
    return threads.submit(() -> pool.process(ctx));
  }

  static ProcessInfo awaitProcess(PoolProcessor pool, ProcessState state, String what) {
    return Await.until(WAIT, () -> pool.processes().stream().filter(p -> p.state() == state).findFirst().orElse(null),
        what);
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static void awaitDead(long pid) {
    Await.until(WAIT, () -> !alive(pid));
  }
}
