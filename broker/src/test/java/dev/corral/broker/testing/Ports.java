package dev.corral.broker.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Waiting for a test's own server process (a Sentinel, a cluster node) to listen. */
public final class Ports {

  private Ports() {}

  /** Waits up to 15 s until something accepts connections on 127.0.0.1:{@code port}. */
  public static void awaitListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nothing listened on 127.0.0.1:" + port + " within 15 s");
  }
}
