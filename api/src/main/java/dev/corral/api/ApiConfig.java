package dev.corral.api;

import dev.corral.api.auth.SecuritySettings;
import dev.corral.api.auth.TokenStore;
import dev.corral.api.leader.Recovery;
import dev.corral.api.stream.StreamSettings;
import dev.corral.broker.RedisSettings;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.lease.LeaseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's settings, read from the environment and overridden by command-line flags.
 *
 * <p>Immutable; thread-safe.
 *
 * @param host the address to listen on ({@code HOST} / {@code --host=}, default {@code 0.0.0.0})
 * @param port the port to listen on, 0 for any free port ({@code PORT} / {@code --port=}, default 8080)
 * @param redis the Redis to use ({@code REDIS_URL} / {@code --redis-url=}), or {@code null} to start the
 *     embedded Redis
 * @param dataDir where the embedded Redis keeps its data ({@code CORRAL_DATA_DIR} / {@code --data-dir=},
 *     default {@code ./data})
 * @param security tokens, insecure development mode, health protection and the body limit
 *     ({@code CORRAL_TOKENS}, {@code CORRAL_TOKENS_FILE}, {@code CORRAL_INSECURE_DEV}, {@code CORRAL_PROTECT_HEALTH},
 *     {@code CORRAL_MAX_BODY_BYTES} and their flags)
 * @param leaderTtl the leader lease's TTL ({@code CORRAL_LEADER_TTL_MS} / {@code --leader-ttl-ms=}, default 10 s,
 *     renewed every TTL / 3)
 * @param instanceId this instance's id ({@code CORRAL_INSTANCE_ID} / {@code --instance-id=}), or null for
 *     {@code <host>-<pid>-<random>}
 * @param stalledInterval how often the leader runs the stalled check of each queue
 *     ({@code CORRAL_STALLED_INTERVAL_MS} / {@code --stalled-interval-ms=}, default 30 s, the workers' default)
 * @param streams the settings of {@code /api/stream} ({@code CORRAL_MAX_STREAMS} / {@code --max-streams=})
 * @param prefix the key prefix of the queues, DAG executions, worker registry, schemas and leader lease
 *     ({@code CORRAL_PREFIX} / {@code --prefix=}, default {@code bull}, BullMQ's default)
 */
public record ApiConfig(String host, int port, RedisSettings redis, Path dataDir, SecuritySettings security,
    Duration leaderTtl, String instanceId, Duration stalledInterval, StreamSettings streams, String prefix) {

  /** The leader lease TTL used when neither {@code CORRAL_LEADER_TTL_MS} nor {@code --leader-ttl-ms=} is given. */
  public static final Duration DEFAULT_LEADER_TTL = LeaseOptions.DEFAULT_TTL;

  /** Shortest leader lease TTL accepted (ms). */
  public static final long MIN_LEADER_TTL_MS = 300;

  /** Longest leader lease TTL accepted (ms). */
  public static final long MAX_LEADER_TTL_MS = 600_000;

  /** The port used when neither {@code PORT} nor {@code --port=} is given. */
  public static final int DEFAULT_PORT = 8080;

  /** The host used when neither {@code HOST} nor {@code --host=} is given. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The data directory used when neither {@code CORRAL_DATA_DIR} nor {@code --data-dir=} is given. */
  public static final String DEFAULT_DATA_DIR = "./data";

  /** What {@code --help} prints. */
  public static final String USAGE = """
      Usage: java -jar corral-api.jar [--port=N] [--host=ADDR] [--redis-url=URL] [--data-dir=DIR]
                                      (--tokens=role:token,... | --tokens-file=FILE | --insecure-dev)

        --port=N          port to listen on, 0 = any free port   (env PORT, default 8080)
        --host=ADDR       address to listen on                   (env HOST, default 0.0.0.0)
        --redis-url=URL   redis://[user:password@]host[:port][/db] or rediss://...   (env REDIS_URL)
                          Sentinel: redis-sentinel://[user:password@]h1:26379,h2:26379/master[/db]
                          Cluster:  redis-cluster://[user:password@]h1:6379,h2:6379
                          Without it, an embedded Redis is started with its data under DIR/redis.
        --data-dir=DIR    data directory of the embedded Redis   (env CORRAL_DATA_DIR, default ./data)
        --tokens=LIST     bearer tokens, role:token[,role:token...]   (env CORRAL_TOKENS)
                          roles: admin, operator, worker, submitter
        --tokens-file=F   one role:token or role:sha256:<hex> per line   (env CORRAL_TOKENS_FILE)
        --insecure-dev    run WITHOUT authentication (local development only)   (env CORRAL_INSECURE_DEV=true)
        --protect-health  require a token for /health and /metrics   (env CORRAL_PROTECT_HEALTH=true)
        --max-body-bytes=N  largest request body   (env CORRAL_MAX_BODY_BYTES, default 1048576)
        --leader-ttl-ms=N leader lease TTL, renewed every TTL/3   (env CORRAL_LEADER_TTL_MS, default 10000)
        --instance-id=ID  this instance's id   (env CORRAL_INSTANCE_ID, default <host>-<pid>-<random>)
        --stalled-interval-ms=N  the leader's stalled check period per queue
                          (env CORRAL_STALLED_INTERVAL_MS, default 30000; use your workers' stalled interval)
        --max-streams=N   most open /api/stream clients   (env CORRAL_MAX_STREAMS, default 100)
        --prefix=P        key prefix of queues and Corral's own keys   (env CORRAL_PREFIX, default bull)
        --help            print this help
      Without any token the server refuses to start unless --insecure-dev is given.
      Flags override environment variables.""";

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException naming the setting when a value is out of range
   */
  public ApiConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host cannot be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir cannot be null");
    }
    if (security == null) {
      throw new IllegalArgumentException("security cannot be null");
    }
    leaderTtl = leaderTtl == null ? DEFAULT_LEADER_TTL : leaderTtl;
    if (leaderTtl.toMillis() < MIN_LEADER_TTL_MS || leaderTtl.toMillis() > MAX_LEADER_TTL_MS) {
      throw new IllegalArgumentException("leaderTtl must be between " + MIN_LEADER_TTL_MS + " and "
          + MAX_LEADER_TTL_MS + " ms, was " + leaderTtl.toMillis());
    }
    stalledInterval = stalledInterval == null ? Recovery.STALLED_INTERVAL : stalledInterval;
    if (stalledInterval.toMillis() < 1_000 || stalledInterval.toMillis() > 3_600_000) {
      throw new IllegalArgumentException("stalledInterval must be between 1000 and 3600000 ms, was "
          + stalledInterval.toMillis());
    }
    if (instanceId != null && !instanceId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("instanceId must match [A-Za-z0-9._-]{1,128}, was '" + instanceId + "'");
    }
    streams = streams == null ? StreamSettings.defaults() : streams;
    prefix = prefix == null ? QueueKeys.DEFAULT_PREFIX : prefix;
    QueueKeys.validatePrefix(prefix);
    if (redis != null && redis.topology() == RedisSettings.Topology.CLUSTER && !hashTagged(prefix)) {
      throw new IllegalArgumentException("with a redis-cluster:// REDIS_URL the key prefix must be hash-tagged so "
          + "that each queue's keys share one slot (as BullMQ requires), e.g. CORRAL_PREFIX={" + prefix + "}; was '"
          + prefix + "'");
    }
  }

  /** Whether {@code prefix} starts with a non-empty Redis hash tag, {@code {tag}...}. */
  private static boolean hashTagged(String prefix) {
    return prefix.startsWith("{") && prefix.indexOf('}') > 1;
  }

  /** Settings with the default leader TTL, a generated instance id and the default stream settings. */
  public ApiConfig(String host, int port, RedisSettings redis, Path dataDir, SecuritySettings security) {
    this(host, port, redis, dataDir, security, null, null, null, null, null);
  }

  /** These settings with leader lease TTL {@code ttl}. */
  public ApiConfig withLeaderTtl(Duration ttl) {
    return new ApiConfig(host, port, redis, dataDir, security, ttl, instanceId, stalledInterval, streams, prefix);
  }

  /** These settings with key prefix {@code value}. */
  public ApiConfig withPrefix(String value) {
    return new ApiConfig(host, port, redis, dataDir, security, leaderTtl, instanceId, stalledInterval, streams, value);
  }

  /** These settings with instance id {@code id}. */
  public ApiConfig withInstanceId(String id) {
    return new ApiConfig(host, port, redis, dataDir, security, leaderTtl, id, stalledInterval, streams, prefix);
  }

  /**
   * Reads the settings: environment first, then flags of the form {@code --name=value}, which win.
   *
   * @param env the environment ({@code System.getenv()} in production)
   * @param args the command-line arguments
   * @throws IllegalArgumentException with a message naming the variable or flag and the bad value
   */
  public static ApiConfig from(Map<String, String> env, List<String> args) {
    Setting host = Setting.fromEnv(env, "HOST");
    Setting port = Setting.fromEnv(env, "PORT");
    Setting redisUrl = Setting.fromEnv(env, "REDIS_URL");
    Setting dataDir = Setting.fromEnv(env, "CORRAL_DATA_DIR");
    Setting tokens = Setting.fromEnv(env, "CORRAL_TOKENS");
    Setting tokensFile = Setting.fromEnv(env, "CORRAL_TOKENS_FILE");
    Setting insecure = Setting.fromEnv(env, "CORRAL_INSECURE_DEV");
    Setting protectHealth = Setting.fromEnv(env, "CORRAL_PROTECT_HEALTH");
    Setting maxBody = Setting.fromEnv(env, "CORRAL_MAX_BODY_BYTES");
    Setting leaderTtl = Setting.fromEnv(env, "CORRAL_LEADER_TTL_MS");
    Setting instanceId = Setting.fromEnv(env, "CORRAL_INSTANCE_ID");
    Setting stalled = Setting.fromEnv(env, "CORRAL_STALLED_INTERVAL_MS");
    Setting maxStreams = Setting.fromEnv(env, "CORRAL_MAX_STREAMS");
    Setting prefix = Setting.fromEnv(env, "CORRAL_PREFIX");
    for (String given : args) {
      String arg = given.equals("--insecure-dev") || given.equals("--protect-health") ? given + "=true" : given;
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unexpected argument '" + arg
            + "': options take the form --name=value (see --help)");
      }
      String name = arg.substring(0, eq);
      Setting flag = new Setting(name, arg.substring(eq + 1));
      switch (name) {
        case "--host" -> host = flag;
        case "--port" -> port = flag;
        case "--redis-url" -> redisUrl = flag;
        case "--data-dir" -> dataDir = flag;
        case "--tokens" -> tokens = flag;
        case "--tokens-file" -> tokensFile = flag;
        case "--insecure-dev" -> insecure = flag;
        case "--protect-health" -> protectHealth = flag;
        case "--max-body-bytes" -> maxBody = flag;
        case "--leader-ttl-ms" -> leaderTtl = flag;
        case "--instance-id" -> instanceId = flag;
        case "--stalled-interval-ms" -> stalled = flag;
        case "--max-streams" -> maxStreams = flag;
        case "--prefix" -> prefix = flag;
        default -> throw new IllegalArgumentException("unknown option '" + name
            + "'; valid options are --port=, --host=, --redis-url=, --data-dir=, --tokens=, --tokens-file=, "
            + "--insecure-dev, --protect-health, --max-body-bytes=, --leader-ttl-ms=, --instance-id=, --stalled-interval-ms=, "
            + "--max-streams=, --prefix= and --help");
      }
    }
    String hostValue = parseHost(host);
    int portValue = parsePort(port);
    RedisSettings redisValue = parseRedis(redisUrl);
    Path dataDirValue = parseDataDir(dataDir);
    TokenStore store = parseTokens(tokens).plus(parseTokensFile(tokensFile));
    SecuritySettings security = new SecuritySettings(store, parseBoolean(insecure), parseBoolean(protectHealth),
        parseMaxBody(maxBody));
    return new ApiConfig(hostValue, portValue, redisValue, dataDirValue, security, parseLeaderTtl(leaderTtl),
        parseInstanceId(instanceId), parseStalledInterval(stalled),
        StreamSettings.defaults().withMaxStreams(parseMaxStreams(maxStreams)), parsePrefix(prefix));
  }

  private static String parsePrefix(Setting s) {
    if (s == null) {
      return QueueKeys.DEFAULT_PREFIX;
    }
    try {
      QueueKeys.validatePrefix(s.value());
      return s.value();
    } catch (IllegalArgumentException e) {
      return fail(s.source() + " is not a valid key prefix: " + e.getMessage());
    }
  }

  private static Duration parseLeaderTtl(Setting s) {
    if (s == null) {
      return DEFAULT_LEADER_TTL;
    }
    try {
      long n = Long.parseLong(s.value().strip());
      if (n >= MIN_LEADER_TTL_MS && n <= MAX_LEADER_TTL_MS) {
        return Duration.ofMillis(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return fail(s.source() + " must be a number of milliseconds between " + MIN_LEADER_TTL_MS + " and "
        + MAX_LEADER_TTL_MS + ", was '" + s.value() + "'");
  }

  private static Duration parseStalledInterval(Setting s) {
    if (s == null) {
      return Recovery.STALLED_INTERVAL;
    }
    try {
      long n = Long.parseLong(s.value().strip());
      if (n >= 1_000 && n <= 3_600_000) {
        return Duration.ofMillis(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return fail(s.source() + " must be a number of milliseconds between 1000 and 3600000, was '" + s.value() + "'");
  }

  private static String parseInstanceId(Setting s) {
    if (s == null) {
      return null;
    }
    String id = s.value().strip();
    return id.matches("[A-Za-z0-9._-]{1,128}") ? id
        : fail(s.source() + " must be 1 to 128 of A-Z a-z 0-9 . _ -, was '" + s.value() + "'");
  }

  private static int parseMaxStreams(Setting s) {
    if (s == null) {
      return StreamSettings.DEFAULT_MAX_STREAMS;
    }
    try {
      int n = Integer.parseInt(s.value().strip());
      if (n >= 1 && n <= 100_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return fail(s.source() + " must be a whole number between 1 and 100000, was '" + s.value() + "'");
  }

  private static TokenStore parseTokens(Setting s) {
    return s == null ? TokenStore.empty() : TokenStore.parse(s.source(), List.of(s.value().split(",")));
  }

  private static TokenStore parseTokensFile(Setting s) {
    if (s == null) {
      return TokenStore.empty();
    }
    try {
      return TokenStore.parse(s.source() + " (" + s.value() + ")", Files.readAllLines(Path.of(s.value().strip())));
    } catch (IOException | InvalidPathException e) {
      return fail(s.source() + ": cannot read tokens file '" + s.value() + "': " + e.getMessage());
    }
  }

  private static boolean parseBoolean(Setting s) {
    if (s == null) {
      return false;
    }
    return switch (s.value().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> fail(s.source() + " must be true or false, was '" + s.value() + "'");
    };
  }

  private static long parseMaxBody(Setting s) {
    if (s == null) {
      return SecuritySettings.DEFAULT_MAX_BODY_BYTES;
    }
    try {
      long n = Long.parseLong(s.value().strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return fail(s.source() + " must be a positive number of bytes, was '" + s.value() + "'");
  }

  /** Whether {@code args} asks for the usage text. */
  public static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  /** The Redis to connect to, empty when the embedded one should be started. */
  public Optional<RedisSettings> externalRedis() {
    return Optional.ofNullable(redis);
  }

  private static String parseHost(Setting s) {
    if (s == null) {
      return DEFAULT_HOST;
    }
    if (s.value().isBlank()) {
      throw new IllegalArgumentException(s.source() + " cannot be empty");
    }
    return s.value().trim();
  }

  private static int parsePort(Setting s) {
    if (s == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(s.value().trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        s.source() + " must be a number between 0 and 65535 (0 = any free port), was '" + s.value() + "'");
  }

  private static RedisSettings parseRedis(Setting s) {
    if (s == null) {
      return null;
    }
    try {
      return RedisSettings.parse(s.value());
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      return fail(s.source().equals("REDIS_URL") ? message : s.source() + ": " + message);
    }
  }

  private static Path parseDataDir(Setting s) {
    String value = s == null ? DEFAULT_DATA_DIR : s.value();
    if (value.isBlank()) {
      throw new IllegalArgumentException(s.source() + " cannot be empty");
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return fail((s == null ? "data dir" : s.source()) + " is not a valid path: " + e.getMessage());
    }
  }

  private static <T> T fail(String message) {
    throw new IllegalArgumentException(message);
  }

  /** A raw value and where it came from (an environment variable or a flag), for error messages. */
  private record Setting(String source, String value) {

    /** The variable's value; a variable that is unset or blank counts as not given. */
    static Setting fromEnv(Map<String, String> env, String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : new Setting(name, value);
    }
  }
}
