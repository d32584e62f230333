package dev.corral.api;

import dev.corral.api.errors.DirectErrors;
import dev.corral.api.metrics.ApiMetrics;
import dev.corral.api.leader.Maintenance;
import dev.corral.api.leader.Recovery;
import dev.corral.broker.BrokerClient;
import dev.corral.broker.Corral;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.dag.DagCoordinatorOptions;
import dev.corral.broker.lease.LeaderLease;
import dev.corral.broker.lease.LeaseOptions;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
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

  /** How long requests in flight may take to finish once the server stops. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** How long the web server waits for its connections once no request is in flight (idle keep-alives). */
  private static final Duration CONNECTION_GRACE = Duration.ofMillis(200);

  private final WebServer webServer;
  private final BrokerClient broker;
  private final EmbeddedRedis embeddedRedis;
  private final LeaderLease lease;
  private final Maintenance maintenance;
  private final ServerState state;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ApiServer(WebServer webServer, BrokerClient broker, EmbeddedRedis embeddedRedis, LeaderLease lease,
      Maintenance maintenance, ServerState state) {
    this.webServer = webServer;
    this.broker = broker;
    this.embeddedRedis = embeddedRedis;
    this.lease = lease;
    this.maintenance = maintenance;
    this.state = state;
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
    LeaderLease lease = null;
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
      LeaseOptions leaseOptions = LeaseOptions.defaults().withTtl(config.leaderTtl()).withPrefix(config.prefix());
      if (config.instanceId() != null) {
        leaseOptions = leaseOptions.withInstanceId(config.instanceId());
      }
      lease = LeaderLease.create(broker, leaseOptions);
      ServerState state = new ServerState();
      ApiDeps deps = new ApiDeps(broker, clock, startedAt, Corral.VERSION, lease, state, new ApiMetrics(),
          config.streams(), config.prefix());
      WebServer webServer = listen(config, deps);
      WorkerRegistry registry = new WorkerRegistry(broker, config.prefix());
      LeaderLease leaseRef = lease;
      Maintenance maintenance = new Maintenance(broker,
          new Recovery(broker, config.prefix(), registry, leaseOptions.instanceId(), config.stalledInterval()),
          leaseRef::isLeader, DagCoordinatorOptions.defaults().withPrefix(config.prefix()), Duration.ofSeconds(1),
          config.stalledInterval());
      lease.start(maintenance);
      LOG.log(Level.INFO, "Corral API {0} listening on http://{1}:{2,number,#} (Redis {3}), instance {4} "
          + "(leader lease TTL {5,number,#} ms), started in {6,number,#} ms", deps.version(), config.host(),
          webServer.port(), redis.redacted(), leaseOptions.instanceId(), config.leaderTtl().toMillis(),
          (System.nanoTime() - t0) / 1_000_000);
      return new ApiServer(webServer, broker, embedded, lease, maintenance, state);
    } catch (RuntimeException e) {
      if (lease != null) {
        lease.close();
      }
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
      LOG.log(Level.INFO, "Authentication on: {0} bearer token(s); /health, /metrics and /openapi {1}",
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
          .shutdownGracePeriod(CONNECTION_GRACE)
          .mediaContext(ApiJson.mediaContext(ApiJson.newObjectMapper()))
          .maxPayloadSize(config.security().maxBodyBytes())
          .routing(routing -> {
            routing.addFilter(new DrainFilter(deps.state(), deps.clock()));
            Main.install(routing, deps, config.security());
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

  /** This instance's part in the leader election. */
  public LeaderLease lease() {
    return lease;
  }

  /** The leader's background maintenance (running only while this instance leads). */
  public Maintenance maintenance() {
    return maintenance;
  }

  /**
   * Stops gracefully: {@code /health} answers 503 from now on and other new requests are refused with 503
   * ({@link DrainFilter}), requests in flight may finish (at most {@link #SHUTDOWN_GRACE}), the web server stops
   * (closing idle connections), the maintenance stops and the leader lease
   * is released (a successor takes over at once), then the broker client is closed and the embedded Redis
   * stopped. Idempotent.
   *
   * @return what was done, in one line, or empty when already closed
   */
  public Optional<String> stop() {
    if (!closed.compareAndSet(false, true)) {
      return Optional.empty();
    }
    state.markStopping();
    boolean wasLeader = lease.isLeader();
    int unfinished = state.awaitIdle(SHUTDOWN_GRACE);
    try {
      webServer.stop();
    } finally {
      try {
        lease.close(); // tells the maintenance first, then releases the lease
        maintenance.close();
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
    return Optional.of((unfinished == 0 ? "requests finished" : unfinished + " requests cut off after "
        + SHUTDOWN_GRACE.toSeconds() + " s") + ", " + (wasLeader ? "leader lease released" : "was not the leader")
        + ", maintenance stopped, Redis connection closed" + (embeddedRedis != null ? ", embedded Redis stopped" : ""));
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
