package dev.corral.sdk.registry;

import dev.corral.broker.BrokerClient;
import dev.corral.sdk.RegistryOptions;
import dev.corral.sdk.Worker;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;

/**
 * A worker in its own JVM, for the SIGKILL test: {@code <redisUrl> <prefix> <queue> <workerId>}. Its processor
 * never finishes, so its job stays active until the JVM is killed. Prints "ready" once registered.
 */
public final class RegistryChildWorker {

  private RegistryChildWorker() {}

  public static void main(String[] args) throws Exception {
    BrokerClient client = BrokerClient.connect(args[0]);
    Worker<Object> worker = Worker.create(client, args[2], ctx -> {
      Thread.sleep(Long.MAX_VALUE);
      return null;
    }, WorkerOptions.builder().prefix(args[1]).workerId(args[3]).lockDuration(Duration.ofSeconds(2))
        .stalledInterval(Duration.ofSeconds(1)).registry(RegistryOptions.builder()
            .heartbeatInterval(Duration.ofMillis(500)).deadAfterMissed(4).build()).build());
    System.out.println("ready " + worker.id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
