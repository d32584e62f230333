package dev.corral.broker.testing;

import dev.corral.broker.redis.LocalRedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A three-master Redis Cluster on loopback for tests, started from the same redis-server binary the tests use
 * (PATH or the embedded artifact): slots split in three ranges, nodes introduced with CLUSTER MEET, ready when
 * every node reports {@code cluster_state:ok}. No replicas.
 */
public final class LocalCluster implements AutoCloseable {

  private static final int[][] RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

  private final List<Process> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private LocalCluster() {}

  /** Starts the cluster with its node files under {@code dir}. */
  public static LocalCluster start(Path dir) throws IOException, InterruptedException {
    Path exe = LocalRedisServer.findExecutable().orElseThrow(() -> new IllegalStateException(
        "no redis-server binary (PATH or the embedded artifact) to run a cluster with"));
    LocalCluster cluster = new LocalCluster();
    try {
      for (int i = 0; i < RANGES.length; i++) {
        int port = freePort();
        Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
        cluster.nodes.add(new ProcessBuilder(exe.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly", "no",
            "--dir", nodeDir.toString()).redirectErrorStream(true).redirectOutput(nodeDir.resolve("log").toFile())
            .start());
        cluster.ports.add(port);
      }
      for (int port : cluster.ports) {
        Ports.awaitListening(port);
      }
      for (int i = 0; i < RANGES.length; i++) {
        call(cluster.ports.get(i), "CLUSTER", "ADDSLOTSRANGE", String.valueOf(RANGES[i][0]),
            String.valueOf(RANGES[i][1]));
      }
      for (int i = 1; i < RANGES.length; i++) {
        call(cluster.ports.get(0), "CLUSTER", "MEET", "127.0.0.1", String.valueOf(cluster.ports.get(i)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!cluster.ready()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the local cluster did not reach cluster_state:ok within 20 s");
        }
        Thread.sleep(100);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code redis-cluster://} URL listing every node, the node of slots 0..5460 first. */
  public String url() {
    return "redis-cluster://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** The first node's slot range ends here: a key whose slot is above it lives on another node. */
  public static int firstNodeLastSlot() {
    return RANGES[0][1];
  }

  private boolean ready() throws IOException {
    for (int port : ports) {
      if (!call(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
        return false;
      }
    }
    return true;
  }

  /** Sends one command and returns the raw reply (a simple string, error or bulk string). */
  private static String call(int port, String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        out.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream os = s.getOutputStream();
      os.write(out.toString().getBytes(StandardCharsets.UTF_8));
      os.flush();
      InputStream in = s.getInputStream();
      String first = readLine(in);
      if (first.startsWith("-")) {
        throw new IllegalStateException(String.join(" ", args) + " on port " + port + ": " + first);
      }
      if (first.startsWith("$")) {
        int n = Integer.parseInt(first.substring(1));
        byte[] body = in.readNBytes(n + 2);
        return new String(body, 0, Math.max(0, n), StandardCharsets.UTF_8);
      }
      return first;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** A free port whose cluster bus port (port + 10000) is free too. */
  private static int freePort() throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + random.nextInt(25_000);
      try (ServerSocket a = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
          ServerSocket b = new ServerSocket(port + 10_000, 1, java.net.InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port pair (port, port + 10000) for a cluster node");
  }


  /** Stops every node. */
  @Override
  public void close() {
    for (Process p : nodes) {
      p.destroy();
    }
    for (Process p : nodes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
