package dev.corral.api;

import dev.corral.api.auth.ApiGuard;
import dev.corral.api.auth.SecuritySettings;
import dev.corral.api.errors.ErrorMapping;
import dev.corral.api.health.HealthService;
import dev.corral.api.health.RedisHealthCheck;
import dev.corral.api.executions.ExecutionsService;
import dev.corral.api.jobs.IdempotencyService;
import dev.corral.api.leader.AdminService;
import dev.corral.api.leader.Recovery;
import dev.corral.api.jobs.JobsService;
import dev.corral.api.metrics.MetricsService;
import dev.corral.api.openapi.OpenApiDocument;
import dev.corral.api.openapi.OpenApiService;
import dev.corral.api.queues.QueuesService;
import dev.corral.api.schedulers.SchedulersService;
import dev.corral.api.schemas.JobSchemas;
import dev.corral.api.schemas.SchemaCompiler;
import dev.corral.api.schemas.SchemaKeys;
import dev.corral.api.schemas.SchemaStore;
import dev.corral.api.schemas.SchemasService;
import dev.corral.api.stats.SnapshotReader;
import dev.corral.api.stats.StatisticsService;
import dev.corral.api.stream.RedisSources;
import dev.corral.api.stream.StreamHub;
import dev.corral.api.stream.StreamService;
import dev.corral.api.workers.StuckHistoryService;
import dev.corral.api.workers.WorkerCommandRoutes;
import dev.corral.api.workers.WorkersService;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.dag.DagExecutions;
import dev.corral.broker.dag.DagLimits;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.WorkerRegistry;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.http.HttpRouting;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Starts the Corral API server: {@code java -jar corral-api.jar [--port=N] [--host=ADDR] [--redis-url=URL]
 * [--data-dir=DIR]}. See {@link ApiConfig} for the settings.
 *
 * <p>Exit codes: 0 after a normal stop, 2 for invalid configuration, 1 when the server cannot start.
 */
public final class Main {

  /** Exit code for an invalid configuration. */
  public static final int EXIT_CONFIG = 2;

  /** Exit code for a server that cannot start (Redis unreachable, port taken, ...). */
  public static final int EXIT_STARTUP = 1;

  private Main() {}

  /**
   * Starts the server and returns; it runs until the JVM is stopped (SIGTERM or Ctrl-C stop it gracefully).
   *
   * @param args {@code --name=value} flags; see {@link ApiConfig#USAGE}
   */
  public static void main(String[] args) {
    LogConfig.configureRuntime();
    int code = run(List.of(args), System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Parses the configuration, starts the server and registers its shutdown hook; never calls
   * {@code System.exit}.
   *
   * @return 0 when the server runs (or help was printed), else {@link #EXIT_CONFIG} or {@link #EXIT_STARTUP}
   */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (ApiConfig.wantsHelp(args)) {
      out.println(ApiConfig.USAGE);
      return 0;
    }
    ApiConfig config;
    try {
      config = ApiConfig.from(env, args);
    } catch (IllegalArgumentException e) {
      err.println("corral-api: invalid configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    try {
      ApiServer server = ApiServer.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, err), "corral-api-shutdown"));
      exitZeroOnSigterm();
      return 0;
    } catch (StartupException e) {
      err.println("corral-api: cannot start: " + e.getMessage());
      return EXIT_STARTUP;
    }
  }

  /**
   * SIGTERM is how the server is asked to stop (systemd, Kubernetes, {@code Process.destroy()}): stop gracefully
   * through the shutdown hook and exit with 0 rather than the JVM's 143, since the stop was asked for.
   */
  private static void exitZeroOnSigterm() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
    } catch (IllegalArgumentException e) {
      // no SIGTERM on this platform: the JVM's default handling stays
    }
  }

  /** The shutdown hook's work, logged in one line. JUL is being reset while hooks run, so this writes to err. */
  private static void stop(ApiServer server, PrintStream err) {
    long t0 = System.nanoTime();
    server.stop().ifPresent(done -> err.println("corral-api: stopped in " + (System.nanoTime() - t0) / 1_000_000
        + " ms: " + done));
  }

  /**
   * Installs the HTTP metrics filter (first, so it also times what the guard refuses), the {@link ApiGuard} with
   * {@code security}, then {@link #routing}: what {@link ApiServer} runs.
   *
   * @param routing the routing to fill
   * @param deps what the services need
   * @param security the guard's settings
   */
  public static void install(HttpRouting.Builder routing, ApiDeps deps, SecuritySettings security) {
    routing.addFilter(deps.metrics().filter());
    ApiGuard.install(routing, security, deps.clock());
    routing(routing, deps);
  }

  /**
   * Registers every route and the error mapping on {@code routing}; used by {@link #install} and by tests. Every
   * route registered here must be in the OpenAPI document ({@code openapi/*.yaml}; {@code OpenApiRoutesIT} fails
   * otherwise).
   *
   * @param routing the routing to fill
   * @param deps what the services need
   */
  public static void routing(HttpRouting.Builder routing, ApiDeps deps) {
    // one prefix for everything: the queues, and Corral's own keys beside them (executions, registry, schemas)
    String prefix = deps.prefix();
    DagExecutions executions = DagExecutions.create(deps.broker(), prefix, DagLimits.defaults());
    WorkerRegistry workers = new WorkerRegistry(deps.broker(), prefix);
    SchemaStore schemaStore = new SchemaStore(deps.broker().redisson(), new SchemaKeys(prefix));
    SchemaCompiler compiler = new SchemaCompiler();
    JobSchemas schemas = new JobSchemas(schemaStore, compiler);
    SnapshotReader snapshots = new SnapshotReader(deps.broker(), prefix, workers, executions);
    RedisHealthCheck ping = new RedisHealthCheck(deps.broker());
    RedisSources sources = new RedisSources(deps.broker(), prefix);
    StreamHub streamHub = new StreamHub(sources, deps.streams().maxStreams());
    deps.state().onStopping(streamHub::close); // open streams end before the stop waits for requests in flight
    routing
        .register("/health", new HealthService(deps, ping, workers))
        .register("/openapi", new OpenApiService(OpenApiDocument.load()))
        .register("/metrics", new MetricsService(snapshots, deps.metrics(), ping))
        .register("/api/statistics", new StatisticsService(snapshots))
        .register("/api/queues", new QueuesService(deps.broker(), prefix, workers, snapshots),
            new JobsService(deps.broker(), prefix, schemas), new SchedulersService(deps.broker(), prefix, schemas))
        .register("/api/executions", new ExecutionsService(deps.broker(), executions, schemas))
        .register("/api/schemas", new SchemasService(schemaStore, compiler, schemas, deps.clock()))
        .register("/api/idempotency", new IdempotencyService(deps.broker(), prefix, executions))
        .register("/api/workers", new WorkersService(deps.broker(), workers, deps.metrics().commands()),
            new WorkerCommandRoutes(deps.broker(), workers))
        .register("/api/stream", new StreamService(streamHub, sources, deps.streams()))
        .register("/api/stuck-history", new StuckHistoryService(new StuckHistory(deps.broker(), workers)))
        .register("/api/admin", new AdminService(deps.lease(),
            new Recovery(deps.broker(), prefix, workers, deps.instanceId())))
        .error(Throwable.class, new ErrorMapping(deps.clock()));
  }
}
