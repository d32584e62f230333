package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.Queue;
import dev.corral.broker.QueueOptions;
import java.util.Map;

/**
 * The producer of the {@code latencyRemote} scenario, run as its own JVM as a separate service would add jobs:
 * {@code LatencyProducer <redisUrl> <queue> <warmUpAdds> <n> <gapMs>}. It first adds {@code warmUpAdds} jobs to a
 * scratch queue nobody consumes (JIT warm-up, then obliterated), waits 300 ms, then adds {@code n} jobs to
 * {@code queue} {@code gapMs} apart, each carrying {@code t0}, {@link System#nanoTime()} just before its add. On Linux
 * that clock is CLOCK_MONOTONIC, the clock Node's {@code process.hrtime} reads, so the worker in another process
 * subtracts it from its own reading. Mirrors {@code bench/node/latency-producer.mjs}.
 */
public final class LatencyProducer {

  private LatencyProducer() {}

  public static void main(String[] args) throws Exception {
    String redisUrl = args[0];
    String queueName = args[1];
    int warmUps = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    int gapMs = Integer.parseInt(args[4]);
    try (BrokerClient client = BrokerClient.connect(redisUrl)) {
      QueueOptions options = QueueOptions.defaults().withPrefix(CorralScenarios.PREFIX);
      Queue scratch = client.queue(queueName + "-scratch", options);
      for (int i = 0; i < warmUps; i++) {
        scratch.add("bench", Map.of("t0", String.valueOf(System.nanoTime())));
      }
      scratch.obliterate(true);
      Queue queue = client.queue(queueName, options);
      Thread.sleep(300);
      for (int i = 0; i < n; i++) {
        queue.add("bench", Map.of("t0", String.valueOf(System.nanoTime())));
        Thread.sleep(gapMs);
      }
    }
  }
}
