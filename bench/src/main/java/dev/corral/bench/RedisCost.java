package dev.corral.bench;

import dev.corral.broker.BrokerClient;
import java.util.Map;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/**
 * What one measured run cost the Redis server, and the client's own CPU time: the server's CPU time ({@code used_cpu_user + used_cpu_sys}) and the
 * commands it processed ({@code total_commands_processed}), both from {@code INFO}. Tells a client that is slow
 * because Redis works harder per job (more or heavier commands) from one that is slow on its own side. The
 * Node script reads the same two fields around its measured part.
 *
 * @param cpuMs Redis CPU time in ms (user and system)
 * @param sysMs the system part of it (mostly socket reads and writes)
 * @param commands commands Redis processed (the ones scripts run included)
 * @param clientCpuMs CPU time of the client process (this JVM, or the Node process) in the same span
 */
record RedisCost(double cpuMs, double sysMs, long commands, double clientCpuMs) {

  /** The server's counters now. */
  static RedisCost read(BrokerClient client) {
    RedisNode node = client.redisson().getRedisNodes(RedisNodes.SINGLE).getInstance();
    Map<String, String> cpu = node.info(RedisNode.InfoSection.CPU);
    Map<String, String> stats = node.info(RedisNode.InfoSection.STATS);
    double user = Double.parseDouble(cpu.get("used_cpu_user").strip());
    double sys = Double.parseDouble(cpu.get("used_cpu_sys").strip());
    double jvmCpuMs = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    return new RedisCost((user + sys) * 1000, sys * 1000,
        Long.parseLong(stats.get("total_commands_processed").strip()), jvmCpuMs);
  }

  /** The cost between {@code before} and this reading. */
  RedisCost since(RedisCost before) {
    return new RedisCost(cpuMs - before.cpuMs, sysMs - before.sysMs, commands - before.commands,
        clientCpuMs - before.clientCpuMs);
  }

  /** Redis CPU µs (of it system µs), commands and client CPU µs per job, for a run of {@code n} jobs. */
  String perJob(int n) {
    return String.format(java.util.Locale.ROOT, "%.1f µs cpu (%.1f sys), %.2f cmds; client %.1f µs cpu",
        cpuMs * 1000 / n, sysMs * 1000 / n, (double) commands / n, clientCpuMs * 1000 / n);
  }
}
