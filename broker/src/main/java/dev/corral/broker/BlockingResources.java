package dev.corral.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Netty resources shared by every {@link BlockingConnection} of one {@link BrokerClient}, so a worker's
 * named connection costs one socket, not a thread pool. Closed with the client.
 *
 * @param group the event loop group (NIO)
 * @param timer the timer Redisson uses for command timeouts
 * @param executor the executor for reply callbacks
 */
record BlockingResources(EventLoopGroup group, Timer timer, ExecutorService executor) {

  static BlockingResources create() {
    return new BlockingResources(new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()),
        new HashedWheelTimer(Thread.ofPlatform().daemon().name("corral-blocking-timer").factory()),
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("corral-blocking-", 0).factory()));
  }

  void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    timer.stop();
    executor.shutdown();
  }
}
