package dev.corral.broker.scripts;

import dev.corral.broker.BrokerException;
import dev.corral.broker.RedisSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One plain-TCP Redis connection shared by many calling threads, which pipeline their commands on it.
 *
 * <p>The caller writes: whoever finds the write lock free writes every command waiting at that moment (its own
 * and those of callers that came while another was writing) with one flush, so concurrent callers' commands
 * reach Redis in one system call and Redis reads and answers them together. One reader thread per connection
 * reads the replies in order and hands each to its caller. Compared with a Netty channel this saves the hand-off
 * of every write to an event loop; measured on the process benchmark, Redis also spent fewer system calls per
 * job (docs/performance.md).
 *
 * <p>Failure: a broken socket, bytes that are not RESP, or a reply missing for longer than the command timeout
 * fails every command in flight with {@link BrokerException} (each may or may not have run) and the connection
 * for good; {@link ScriptRunner} opens a new one. An error reply fails only its own command.
 *
 * <p>Interrupts: a caller waits for its reply without reacting to interrupts (the flag is kept), like the
 * Netty path's {@code join()}. A virtual thread interrupted while its write is blocked (only when Redis has
 * stopped reading and the socket buffer is full) closes the socket, which fails the connection as above.
 *
 * <p>Thread-safe.
 */
final class PipelinedConnection implements AutoCloseable {

  private static final class Call {
    final Object[] args;
    final CompletableFuture<Object> reply = new CompletableFuture<>();

    Call(Object[] args) {
      this.args = args;
    }
  }

  private final Socket socket;
  private final OutputStream out; // guarded by writeLock
  private final Resp.Reader in; // reader thread only
  private final long timeoutMillis;
  private final ConcurrentLinkedQueue<Call> toWrite = new ConcurrentLinkedQueue<>();
  /** Written calls awaiting their reply, in write order (appended under writeLock, polled by the reader). */
  private final ConcurrentLinkedQueue<Call> awaitingReply = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile BrokerException failure;

  private PipelinedConnection(Socket socket, long timeoutMillis) throws IOException {
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.in = new Resp.Reader(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
  }

  /**
   * Opens and authenticates a connection and starts its reader thread.
   *
   * @throws IOException when Redis cannot be reached
   * @throws Resp.ErrorReply when the handshake is refused (wrong password, no such database)
   */
  static PipelinedConnection open(RedisSettings settings, String clientName, int connectTimeoutMillis,
      int timeoutMillis) throws IOException {
    Socket socket = Resp.connect(settings, connectTimeoutMillis);
    try {
      PipelinedConnection c = new PipelinedConnection(socket, timeoutMillis);
      // the handshake runs before the reader starts: written and read on this thread
      socket.setSoTimeout(timeoutMillis);
      for (Object[] command : Resp.handshake(settings, clientName)) {
        Resp.write(c.out, command);
        c.out.flush();
        c.in.read();
      }
      socket.setSoTimeout(0); // the reader waits for replies as long as it takes; callers time out themselves
      Thread.ofPlatform().daemon().name(clientName + "-reader").start(c::readReplies);
      return c;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** False once the connection failed; such a connection must be replaced. */
  boolean isUsable() {
    return failure == null;
  }

  /**
   * Sends one command and waits for its reply.
   *
   * @throws Resp.ErrorReply for an error reply
   * @throws BrokerException when the connection failed (the command may or may not have run)
   */
  Object call(Object... args) {
    Call call = new Call(args);
    toWrite.add(call);
    writeWaiting();
    return await(call);
  }

  /** Writes every waiting command unless another caller holds the write lock (it then writes ours too). */
  private void writeWaiting() {
    while (!toWrite.isEmpty()) {
      if (!writeLock.tryLock()) {
        return; // the holder checks the queue again after unlocking
      }
      try {
        Call call;
        while ((call = toWrite.poll()) != null) {
          BrokerException failed = failure;
          if (failed != null) {
            call.reply.completeExceptionally(failed);
            continue;
          }
          awaitingReply.add(call);
          Resp.write(out, call.args);
        }
        out.flush();
      } catch (IOException e) {
        fail("Redis connection failed during a script call; it may or may not have run: " + e.getMessage(), e);
      } finally {
        writeLock.unlock();
      }
      BrokerException failed = failure;
      if (failed != null) {
        // the reader may have failed the connection after our check and drained before our add
        failPending(failed);
      }
    }
  }

  private Object await(Call call) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (true) {
        try {
          return call.reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException e) {
          fail("no reply from Redis within " + timeoutMillis + " ms; the call may or may not have run", e);
          call.reply.completeExceptionally(failure); // in case it was in neither queue
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new BrokerException(e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void readReplies() {
    while (failure == null) {
      Object reply;
      try {
        reply = in.read();
      } catch (Resp.ErrorReply e) {
        reply = e;
      } catch (IOException | RuntimeException e) {
        fail("Redis connection failed during a script call; it may or may not have run: " + e.getMessage(), e);
        return;
      }
      Call call = awaitingReply.poll();
      if (call == null) {
        fail("Redis sent a reply nobody asked for; the connection is closed", null);
        return;
      }
      if (reply instanceof Resp.ErrorReply error) {
        call.reply.completeExceptionally(error);
      } else {
        call.reply.complete(reply);
      }
    }
  }

  /** Fails the connection and every call on it (the first failure wins). */
  private void fail(String message, Throwable cause) {
    BrokerException failed;
    synchronized (this) {
      if (failure == null) {
        failure = new BrokerException(message, cause);
      }
      failed = failure;
    }
    closeQuietly();
    failPending(failed);
  }

  /** Completes every call still queued with {@code failed}; both the failing thread and writers call it. */
  private void failPending(BrokerException failed) {
    Call call;
    while ((call = awaitingReply.poll()) != null) {
      call.reply.completeExceptionally(failed);
    }
    while ((call = toWrite.poll()) != null) {
      call.reply.completeExceptionally(failed);
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  /** Closes the connection; calls still in flight fail. */
  @Override
  public void close() {
    fail("the script connection was closed", null);
  }
}
