package dev.corral.api;

import dev.corral.api.errors.ErrorMapping;
import dev.corral.api.health.HealthService;
import dev.corral.api.health.RedisHealthCheck;
import dev.corral.api.executions.ExecutionsService;
import dev.corral.api.jobs.IdempotencyService;
import dev.corral.api.jobs.JobsService;
import dev.corral.api.queues.QueuesService;
import dev.corral.api.stream.RedisSources;
import dev.corral.api.stream.StreamHub;
import dev.corral.api.stream.StreamService;
import dev.corral.api.workers.StuckHistoryService;
import dev.corral.api.workers.WorkerCommandRoutes;
import dev.corral.api.workers.WorkersService;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.dag.DagExecutions;
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

  /** The key prefix of the worker registry (the SDK's default, {@code bull}). */
  public static final String WORKER_PREFIX = QueueKeys.DEFAULT_PREFIX;

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
      return 0;
    } catch (StartupException e) {
      err.println("corral-api: cannot start: " + e.getMessage());
      return EXIT_STARTUP;
    }
  }

  /** The shutdown hook's work. JUL is being reset while hooks run, so this writes to {@code err} directly. */
  private static void stop(ApiServer server, PrintStream err) {
    long t0 = System.nanoTime();
    err.println("corral-api: stopping (web server, Redis connection" + (server.embeddedRedisUrl().isPresent()
        ? ", embedded Redis)" : ")"));
    server.close();
    err.println("corral-api: stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  /**
   * Registers every route and the error mapping on {@code routing}; used by {@link ApiServer} and by tests.
   *
   * @param routing the routing to fill
   * @param deps what the services need
   */
  public static void routing(HttpRouting.Builder routing, ApiDeps deps) {
    DagExecutions executions = DagExecutions.create(deps.broker());
    WorkerRegistry workers = new WorkerRegistry(deps.broker(), WORKER_PREFIX);
    RedisSources sources = new RedisSources(deps.broker(), WORKER_PREFIX);
    routing
        .register("/health", new HealthService(deps, new RedisHealthCheck(deps.broker())))
        .register("/api/queues", new QueuesService(deps.broker()), new JobsService(deps.broker()))
        .register("/api/executions", new ExecutionsService(deps.broker(), executions))
        .register("/api/idempotency", new IdempotencyService(deps.broker(), executions))
        .register("/api/workers", new WorkersService(deps.broker(), workers),
            new WorkerCommandRoutes(deps.broker(), workers))
        .register("/api/stream", new StreamService(new StreamHub(sources, deps.streams().maxStreams()), sources,
            deps.streams()))
        .register("/api/stuck-history", new StuckHistoryService(new StuckHistory(deps.broker(), workers)))
        .error(Throwable.class, new ErrorMapping(deps.clock()));
  }
}
