package dev.corral.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test client of {@code GET /api/stream}: reads the stream line by line on a thread, collecting events. */
final class SseClient implements AutoCloseable {

  /** One event: its {@code event}, {@code id} and {@code data} fields; or a comment ({@code event} = ":"). */
  record Event(String event, String id, String data) {}

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final int status;
  final String contentType;
  private final InputStream body;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(HttpResponse<InputStream> res) {
    this.status = res.statusCode();
    this.contentType = res.headers().firstValue("Content-Type").orElse("");
    this.body = res.body();
    this.reader = Thread.ofVirtual().start(this::read);
  }

  /** Opens {@code path} (with query) as {@code token}, with a {@code Last-Event-ID} when not null. */
  static SseClient open(URI base, String path, String token, String lastEventId) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      req.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      Map<String, String> fields = new LinkedHashMap<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (fields.containsKey("event") || fields.containsKey("data")) {
            events.add(new Event(fields.get("event"), fields.get("id"), fields.get("data")));
          }
          fields.clear();
        } else if (line.startsWith(":")) {
          events.add(new Event(":", null, line.substring(1).strip()));
        } else {
          int colon = line.indexOf(':');
          String name = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
          fields.merge(name, value, (a, b) -> a + "\n" + b);
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      ended = true;
    }
  }

  /** Whether the body ended (or failed). */
  boolean ended() {
    return ended;
  }

  /** The next event or comment, or null after {@code seconds}. */
  Event next(long seconds) throws InterruptedException {
    return events.poll(seconds, TimeUnit.SECONDS);
  }

  /** The next event named {@code name}, skipping others; fails after {@code seconds}. */
  Event await(String name, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Event e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e != null && name.equals(e.event())) {
        return e;
      }
    }
    throw new AssertionError("no '" + name + "' event within " + seconds + " s");
  }

  @Override
  public void close() throws IOException {
    body.close();
    reader.interrupt();
  }
}
