package dev.corral.api;

import dev.corral.api.auth.ApiGuard;
import dev.corral.api.errors.DirectErrors;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Corral;
import dev.corral.broker.RedisSettings;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running API server and what it owns: the web server, the broker client and, without {@code REDIS_URL},
 * the embedded Redis. {@link #start} starts the embedded Redis (if needed), the client, then the web server;
 * {@link #close} stops them in the reverse order.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ApiServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());

  private final WebServer webServer;
  private final BrokerClient broker;
  private final EmbeddedRedis embeddedRedis;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ApiServer(WebServer webServer, BrokerClient broker, EmbeddedRedis embeddedRedis) {
    this.webServer = webServer;
    this.broker = broker;
    this.embeddedRedis = embeddedRedis;
  }

  /**
   * Starts Redis if needed, connects to it and starts listening.
   *
   * @throws StartupException with an operator-facing message when any step fails; whatever was started is
   *     stopped again
   */
  public static ApiServer start(ApiConfig config) {
    long t0 = System.nanoTime();
    Clock clock = Clock.systemUTC();
    Instant startedAt = clock.instant();
    EmbeddedRedis embedded = null;
    BrokerClient broker = null;
    checkCanListen(config);
    try {
      RedisSettings redis;
      if (config.externalRedis().isPresent()) {
        redis = config.externalRedis().get();
      } else {
        embedded = EmbeddedRedis.start(config.dataDir().resolve("redis"));
        redis = RedisSettings.parse(embedded.url());
        LOG.log(Level.INFO, "No REDIS_URL set: started an embedded Redis ({0}) at {1}, data in {2} "
            + "(append-only file, kept across restarts). To use your own Redis, set REDIS_URL=redis://host:6379",
            embedded.executable(), embedded.url(), embedded.dataDir());
      }
      logSecurity(config);
      broker = connect(redis, clock);
      ApiDeps deps = new ApiDeps(broker, clock, startedAt, Corral.VERSION, config.streams());
      WebServer webServer = listen(config, deps);
      LOG.log(Level.INFO, "Corral API {0} listening on http://{1}:{2,number,#} (Redis {3}), started in {4,number,#} ms",
          deps.version(), config.host(), webServer.port(), redis.redacted(), (System.nanoTime() - t0) / 1_000_000);
      return new ApiServer(webServer, broker, embedded);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e instanceof StartupException se ? se : new StartupException(e.getMessage(), e);
    }
  }

  private static void logSecurity(ApiConfig config) {
    if (config.security().tokens().isEmpty()) {
      LOG.log(Level.WARNING, "INSECURE DEVELOPMENT MODE (--insecure-dev): authentication is OFF and every "
          + "request is allowed. Never run like this outside local development; configure CORRAL_TOKENS or "
          + "CORRAL_TOKENS_FILE instead");
    } else {
      LOG.log(Level.INFO, "Authentication on: {0} bearer token(s); /health and /metrics {1}",
          config.security().tokens().size(), config.security().protectHealth() ? "need a token" : "are open");
    }
  }

  private static BrokerClient connect(RedisSettings redis, Clock clock) {
    try {
      return BrokerClient.connect(redis, clock);
    } catch (RuntimeException e) {
      throw new StartupException("cannot connect to Redis at " + redis.redacted() + ": " + rootMessage(e)
          + ". Check that Redis is running and REDIS_URL (or --redis-url=) points at it", e);
    }
  }

  /** Binds and releases host:port first, so a taken port fails fast with one clear line instead of a trace. */
  private static void checkCanListen(ApiConfig config) {
    if (config.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(config.host(), config.port()));
    } catch (IOException e) {
      throw new StartupException(cannotListen(config, e.getMessage()), e);
    }
  }

  private static String cannotListen(ApiConfig config, String why) {
    return "cannot listen on " + config.host() + ":" + config.port() + ": " + why
        + ". Choose another port with PORT or --port=, or another address with HOST or --host=";
  }

  private static WebServer listen(ApiConfig config, ApiDeps deps) {
    WebServer server;
    try {
      var builder = WebServer.builder();
      DirectErrors.install(builder, deps.clock(), config.security().maxBodyBytes());
      server = builder
          .host(config.host())
          .port(config.port())
          .shutdownHook(false)
          .mediaContext(ApiJson.mediaContext(ApiJson.newObjectMapper()))
          .maxPayloadSize(config.security().maxBodyBytes())
          .routing(routing -> {
            ApiGuard.install(routing, config.security(), deps.clock());
            Main.routing(routing, deps);
          })
          .build()
          .start();
    } catch (RuntimeException e) {
      throw new StartupException(cannotListen(config, rootMessage(e)), e);
    }
    if (!server.isRunning()) {
      throw new StartupException(cannotListen(config, "the web server did not start (see the log above)"), null);
    }
    return server;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The port the server listens on (useful when started with port 0). */
  public int port() {
    return webServer.port();
  }

  /** The broker client the routes use. */
  public BrokerClient broker() {
    return broker;
  }

  /** The embedded Redis URL, or empty when an external Redis is used. */
  public Optional<String> embeddedRedisUrl() {
    return Optional.ofNullable(embeddedRedis).map(EmbeddedRedis::url);
  }

  /** Stops the web server (letting requests in flight finish), closes the broker client, stops embedded Redis. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      webServer.stop();
    } finally {
      try {
        broker.close();
      } finally {
        if (embeddedRedis != null) {
          embeddedRedis.close();
        }
      }
    }
  }
}
