package dev.corral.sdk.registry;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.workers.CommandAudit;
import dev.corral.broker.workers.RegistrySettings;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.WorkerCommands;
import dev.corral.broker.workers.WorkerRegistry;
import dev.corral.broker.testing.Await;
import dev.corral.sdk.RegistryOptions;
import dev.corral.sdk.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A fresh registry prefix per test, with fast heartbeats, and helpers to read it. */
final class RegistryFixture {

  static final Duration WAIT = Duration.ofSeconds(15);

  final String prefix = "wr" + UUID.randomUUID().toString().substring(0, 8);
  final WorkerRegistry registry;
  final WorkerCommands commands;
  final StuckHistory stuck;

  RegistryFixture(BrokerClient client) {
    registry = new WorkerRegistry(client, prefix, RegistrySettings.defaults().withSweepThrottle(Duration.ZERO));
    commands = new WorkerCommands(client, registry);
    stuck = new StuckHistory(client, registry);
  }

  RegistryOptions.Builder fastRegistry() {
    return RegistryOptions.builder().heartbeatInterval(Duration.ofMillis(200))
        .settings(RegistrySettings.defaults().withSweepThrottle(Duration.ZERO));
  }

  WorkerOptions.Builder options(String workerId) {
    return WorkerOptions.builder().prefix(prefix).workerId(workerId).registry(fastRegistry().build());
  }

  /** Waits for the audit entry of command {@code commandId}. */
  CommandAudit awaitAck(String workerId, String commandId) {
    return Await.until(WAIT, () -> {
      List<CommandAudit> audit = commands.audit(workerId, 100);
      return audit.stream().filter(a -> a.command().id().equals(commandId)).findFirst().orElse(null);
    }, "ack of command " + commandId);
  }
}
