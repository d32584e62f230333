package dev.corral.broker.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.testing.Await;
import dev.corral.broker.testing.RedisTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

class WorkerCommandsIT {

  private static final BrokerClient client = RedisTestSupport.sharedClient();
  private WorkerRegistry registry;
  private WorkerCommands commands;

  @BeforeEach
  void freshPrefix() {
    registry = new WorkerRegistry(client, "cmd-" + UUID.randomUUID().toString().substring(0, 8));
    commands = new WorkerCommands(client, registry);
    registry.register(new WorkerRegistration("w", "h", 1, 0, "v", List.of("q"), null, null, 1, 0, 0, null, 1000, 6));
  }

  @Test
  void aCommandIsQueuedNudgedTakenOnceAndAudited() {
    List<String> nudges = new CopyOnWriteArrayList<>();
    RTopic topic = client.redisson().getTopic(registry.keys().commandChannel("w"), StringCodec.INSTANCE);
    int l = topic.addListener(String.class, (ch, msg) -> nudges.add(msg));
    try {
      String id = commands.send("w", CommandType.RECYCLE, 77L, null, Duration.ofSeconds(3), "alice", "leak");
      Await.until(Duration.ofSeconds(5), () -> nudges.contains(id));
      assertEquals(1, commands.pendingCount("w"));
      List<WorkerCommand> taken = commands.take("w");
      assertEquals(1, taken.size());
      WorkerCommand cmd = taken.get(0);
      assertEquals(id, cmd.id());
      assertEquals(CommandType.RECYCLE, cmd.type());
      assertEquals(77L, cmd.pid());
      assertEquals(3000, cmd.deadlineMs());
      assertEquals("alice", cmd.requester());
      assertEquals("leak", cmd.reason());
      assertTrue(commands.take("w").isEmpty(), "taken once");

      assertTrue(commands.ack(cmd, 5, CommandOutcome.DONE, "recycled pid 77"));
      assertFalse(commands.ack(cmd, 5, CommandOutcome.DONE, "again"), "acknowledged once");
      CommandAudit audit = commands.audit("w", 10).get(0);
      assertEquals(cmd, audit.command());
      assertEquals(CommandOutcome.DONE, audit.outcome());
      assertEquals("recycled pid 77", audit.detail());
    } finally {
      topic.removeListener(l);
    }
  }

  @Test
  void commandsComeOutOldestFirstAndTheAuditIsCapped() {
    WorkerRegistry small = new WorkerRegistry(client, registry.keys().prefix(),
        new RegistrySettings(3, Duration.ofDays(1), 1000, Duration.ofDays(1), 10, Duration.ZERO));
    WorkerCommands cmds = new WorkerCommands(client, small);
    for (int i = 0; i < 5; i++) {
      cmds.send("w", i % 2 == 0 ? CommandType.PAUSE : CommandType.RESUME, "ops", "n" + i);
    }
    List<WorkerCommand> taken = cmds.take("w");
    assertEquals(List.of("n0", "n1", "n2", "n3", "n4"), taken.stream().map(WorkerCommand::reason).toList());
    taken.forEach(c -> cmds.ack(c, 1, CommandOutcome.DONE, ""));
    assertEquals(List.of("n4", "n3", "n2"), cmds.audit("w", 3).stream().map(a -> a.command().reason()).toList());
  }

  @Test
  void invalidCommandsNameTheField() {
    assertThrows(IllegalStateException.class, () -> commands.send("nobody", CommandType.PAUSE, "ops", ""));
    IllegalArgumentException pid = assertThrows(IllegalArgumentException.class,
        () -> commands.send("w", CommandType.PAUSE, 5L, null, null, "ops", ""));
    assertTrue(pid.getMessage().startsWith("pid and slot apply to recycle only"), pid.getMessage());
    IllegalArgumentException reason = assertThrows(IllegalArgumentException.class,
        () -> commands.send("w", CommandType.DRAIN, "ops", "x".repeat(1025)));
    assertTrue(reason.getMessage().startsWith("reason must be at most 1024"), reason.getMessage());
    IllegalArgumentException requester = assertThrows(IllegalArgumentException.class,
        () -> commands.send("w", CommandType.DRAIN, "", "r"));
    assertTrue(requester.getMessage().startsWith("requester"), requester.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> CommandType.fromWireName("reboot"));
    assertTrue(type.getMessage().startsWith("type must be one of"), type.getMessage());
  }
}
