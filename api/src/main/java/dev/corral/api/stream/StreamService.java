package dev.corral.api.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.auth.ApiGuard;
import dev.corral.api.errors.MethodNotAllowedException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/stream} (Server-Sent Events, written by hand on the response's output stream with a flush per
 * event) and {@code GET /api/stream/stats}. A stream starts with {@code retry:} and a {@code ready} event once its
 * readers are attached; replays stored entries after {@code Last-Event-ID} / {@code since=}; then sends live events
 * and a {@code : keepalive} comment whenever it was idle for {@link StreamSettings#keepAlive()}; and ends with a
 * {@code dropped} event when the client is too slow or the server stops. A disconnected client is noticed at the
 * next write, and its subscription removed.
 *
 * <p>Thread-safe.
 */
public final class StreamService implements HttpService {

  private static final System.Logger LOG = System.getLogger(StreamService.class.getName());
  private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StreamHub hub;
  private final RedisSources sources;
  private final StreamSettings settings;

  /** The routes over {@code hub}, replaying from {@code sources}. */
  public StreamService(StreamHub hub, RedisSources sources, StreamSettings settings) {
    this.hub = hub;
    this.sources = sources;
    this.settings = settings;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::stream)
        .get("/stats", this::stats)
        .any("/", MethodNotAllowedException.handler("GET"))
        .any("/stats", MethodNotAllowedException.handler("GET"));
  }

  @Override
  public void afterStop() {
    hub.close();
  }

  private void stats(ServerRequest req, ServerResponse res) {
    StreamHub.Stats stats = hub.stats();
    ObjectNode n = JSON.createObjectNode();
    n.put("subscribers", stats.subscribers());
    n.put("max_streams", stats.maxStreams());
    n.set("sources", JSON.valueToTree(stats.sources()));
    res.send(n);
  }

  private void stream(ServerRequest req, ServerResponse res) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    req.query().names().forEach(n -> query.put(n, req.query().all(n)));
    StreamFilter filter = StreamFilter.parse(query, req.headers().first(LAST_EVENT_ID).orElse(null),
        ApiGuard.callerRole(req).orElse(null));
    Subscriber sub = hub.subscribe(filter, settings.bufferSize());
    try {
      res.status(Status.OK_200);
      res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      res.header(HeaderNames.CACHE_CONTROL, "no-cache");
      res.header("X-Accel-Buffering", "no");
      OutputStream out = res.outputStream();
      try {
        run(out, filter, sub);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, "stream ended: " + e); // the client went away
      } finally {
        try {
          out.close();
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.DEBUG, "closing a stream whose client left: " + e);
        }
      }
    } finally {
      hub.unsubscribe(sub);
    }
  }

  private void run(OutputStream out, StreamFilter filter, Subscriber sub) throws IOException {
    write(out, Sse.retry(3000) + Sse.event("ready", null, ready(filter)));
    Map<String, String> replayed = new HashMap<>();
    if (filter.since() != null) {
      for (String key : filter.sources()) {
        String last = sources.replay(key, filter.since(), e -> {
          if (filter.matches(e)) {
            writeUnchecked(out, Sse.event(e));
          }
        });
        if (last != null) {
          replayed.put(key, last);
        }
      }
    }
    long keepAlive = settings.keepAlive().toMillis();
    while (true) {
      StreamEvent e;
      try {
        e = sub.next(keepAlive);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        sub.end(Subscriber.End.SERVER_STOPPING);
        e = null;
      }
      if (sub.ended() != null) {
        write(out, Sse.event("dropped", null, dropped(sub)));
        return;
      }
      if (e == null) {
        write(out, Sse.comment("keepalive"));
      } else if (e.id() == null || !replayed.containsKey(e.source())
          || StreamIds.compare(e.id(), replayed.get(e.source())) > 0) {
        write(out, Sse.event(e));
      }
    }
  }

  private static String ready(StreamFilter f) {
    ObjectNode n = JSON.createObjectNode();
    n.set("types", JSON.valueToTree(StreamFilter.TYPES.stream().filter(f::wants).toList()));
    n.set("queues", JSON.valueToTree(f.queues().stream().sorted().toList()));
    n.set("executions", JSON.valueToTree(f.executions().stream().sorted().toList()));
    n.set("workers", JSON.valueToTree(f.workers().stream().sorted().toList()));
    if (f.since() != null) {
      n.put("since", f.since());
    }
    return n.toString();
  }

  private static String dropped(Subscriber sub) {
    ObjectNode n = JSON.createObjectNode();
    boolean slow = sub.ended() == Subscriber.End.SLOW_CONSUMER;
    n.put("reason", slow ? "slow_consumer" : "server_stopping");
    n.put("detail", slow ? "more than " + sub.capacity() + " events were waiting for this client; reconnect with "
        + "Last-Event-ID to resume" : "the server is stopping; reconnect to another instance");
    return n.toString();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void writeUnchecked(OutputStream out, String text) {
    try {
      write(out, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
