package dev.corral.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where Redis is, parsed from a URL. Three forms (a trailing {@code s} on the scheme, as in {@code rediss},
 * turns TLS on):
 *
 * <ul>
 *   <li>a single server: {@code redis://[[user]:password@]host[:port][/db]} (port 6379 by default);
 *   <li>Sentinel: {@code redis-sentinel://[[user]:password@]host1[:port],host2[:port]/masterName[/db]} (port
 *       26379 by default; the credentials are those of the Redis master and replicas);
 *   <li>Cluster: {@code redis-cluster://[[user]:password@]host1[:port],host2[:port]} (port 6379 by default;
 *       database 0 only, as Redis Cluster has no other).
 * </ul>
 *
 * <p>{@code host} and {@code port} are those of the single server, or of the first listed node otherwise.
 * Immutable; thread-safe.
 *
 * @param tls whether to use TLS
 * @param host host name or address (the first node's for Sentinel and Cluster)
 * @param port TCP port (the first node's for Sentinel and Cluster)
 * @param username ACL user, or null
 * @param password password, or null
 * @param database database index (0 by default)
 * @param topology single server, Sentinel or Cluster
 * @param nodes the Sentinel or Cluster seed nodes (the single server for {@link Topology#SINGLE})
 * @param masterName the Sentinel master name, or null
 */
public record RedisSettings(boolean tls, String host, int port, String username, String password, int database,
    Topology topology, List<Node> nodes, String masterName) {

  /** How the Redis deployment is reached. */
  public enum Topology {
    /** One Redis server ({@code redis://}). */
    SINGLE,
    /** A master found through Redis Sentinel ({@code redis-sentinel://}). */
    SENTINEL,
    /** A Redis Cluster ({@code redis-cluster://}). */
    CLUSTER
  }

  /**
   * One host and port.
   *
   * @param host host name or address (IPv6 without brackets)
   * @param port TCP port
   */
  public record Node(String host, int port) {}

  /** Copies the node list; a single server's node defaults to host:port. */
  public RedisSettings {
    topology = topology == null ? Topology.SINGLE : topology;
    nodes = nodes == null || nodes.isEmpty() ? List.of(new Node(host, port)) : List.copyOf(nodes);
  }

  /** A single server. */
  public RedisSettings(boolean tls, String host, int port, String username, String password, int database) {
    this(tls, host, port, username, password, database, Topology.SINGLE, null, null);
  }

  /**
   * Parses a Redis URL in one of the three forms above.
   *
   * @throws IllegalArgumentException naming the part of the URL that is wrong
   */
  public static RedisSettings parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("REDIS_URL cannot be empty");
    }
    String trimmed = url.trim();
    int sep = trimmed.indexOf("://");
    String scheme = sep < 0 ? "" : trimmed.substring(0, sep).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "redis", "rediss" -> parseSingle(trimmed, scheme);
      case "redis-sentinel", "rediss-sentinel" -> parseMulti(trimmed, sep, scheme, Topology.SENTINEL);
      case "redis-cluster", "rediss-cluster" -> parseMulti(trimmed, sep, scheme, Topology.CLUSTER);
      default -> throw new IllegalArgumentException("REDIS_URL must start with redis://, rediss://, "
          + "redis-sentinel://, rediss-sentinel://, redis-cluster:// or rediss-cluster://, was '"
          + redactUrl(trimmed) + "'");
    };
  }

  private static RedisSettings parseSingle(String url, String scheme) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("REDIS_URL is not a valid URL: " + redactUrl(e.getMessage()), e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("REDIS_URL has no host: '" + redactUrl(url) + "'");
    }
    String[] credentials = credentials(uri.getRawUserInfo());
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      db = database(path.substring(1));
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    return new RedisSettings("rediss".equals(scheme), uri.getHost(), port, credentials[0], credentials[1], db);
  }

  private static RedisSettings parseMulti(String url, int sep, String scheme, Topology topology) {
    String kind = topology == Topology.SENTINEL ? "sentinel" : "cluster";
    String rest = url.substring(sep + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    int at = authority.lastIndexOf('@');
    String[] credentials = credentials(at < 0 ? null : authority.substring(0, at));
    String hostList = authority.substring(at + 1);
    int defaultPort = topology == Topology.SENTINEL ? 26379 : 6379;
    List<Node> nodes = new ArrayList<>();
    String[] parts = hostList.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      nodes.add(node(parts[i].trim(), defaultPort, kind + " host " + (i + 1)));
    }
    String master = null;
    int db = 0;
    List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/", -1));
    if (topology == Topology.SENTINEL) {
      if (segments.isEmpty() || segments.get(0).isBlank()) {
        throw new IllegalArgumentException("REDIS_URL: " + scheme + ":// needs the master name after the hosts, "
            + "e.g. " + scheme + "://h1:26379,h2:26379/mymaster");
      }
      master = decode(segments.get(0));
      if (segments.size() > 2) {
        throw new IllegalArgumentException("REDIS_URL: after the sentinel master name only a database may "
            + "follow (/masterName/db), was '/" + path + "'");
      }
      if (segments.size() == 2 && !segments.get(1).isEmpty()) {
        db = database(segments.get(1));
      }
    } else if (!path.isEmpty()) {
      throw new IllegalArgumentException("REDIS_URL: " + scheme + ":// takes no path (Redis Cluster has only "
          + "database 0), was '/" + path + "'");
    }
    Node first = nodes.get(0);
    return new RedisSettings(scheme.startsWith("rediss"), first.host(), first.port(), credentials[0], credentials[1],
        db, topology, nodes, master);
  }

  /** One {@code host[:port]} or {@code [v6]:port} of a node list; {@code what} names it in errors. */
  private static Node node(String spec, int defaultPort, String what) {
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("REDIS_URL: " + what + " is empty (hosts are separated by commas)");
    }
    String host;
    String port = null;
    if (spec.startsWith("[")) {
      int close = spec.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("REDIS_URL: " + what + " ('" + spec + "') has no closing ']'");
      }
      host = spec.substring(1, close);
      String after = spec.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("REDIS_URL: " + what + " ('" + spec + "') must be [address]:port");
        }
        port = after.substring(1);
      }
    } else {
      int colon = spec.lastIndexOf(':');
      host = colon < 0 ? spec : spec.substring(0, colon);
      port = colon < 0 ? null : spec.substring(colon + 1);
      if (host.contains(":")) {
        throw new IllegalArgumentException("REDIS_URL: " + what + " ('" + spec + "') is an IPv6 address; write it "
            + "in brackets, e.g. [::1]:" + defaultPort);
      }
    }
    if (host.isBlank() || !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException("REDIS_URL: " + what + " ('" + spec + "') is not a valid host name");
    }
    if (port == null) {
      return new Node(host, defaultPort);
    }
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65_535) {
        return new Node(host, p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("REDIS_URL: " + what + " ('" + spec + "') has an invalid port '" + port
        + "' (1..65535)");
  }

  /** {user or null, password or null} of raw user info ({@code user:password}, {@code :password}, {@code password}). */
  private static String[] credentials(String info) {
    if (info == null) {
      return new String[2];
    }
    int colon = info.indexOf(':');
    if (colon < 0) {
      return new String[] {null, decode(info)};
    }
    return new String[] {colon == 0 ? null : decode(info.substring(0, colon)), decode(info.substring(colon + 1))};
  }

  private static int database(String s) {
    try {
      int db = Integer.parseInt(s);
      if (db >= 0) {
        return db;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("REDIS_URL database must be a number, was '" + s + "'");
  }

  /** {@code url} with anything between {@code ://} and the last {@code @} of its authority replaced by {@code ***}. */
  static String redactUrl(String url) {
    if (url == null) {
      return null;
    }
    int sep = url.indexOf("://");
    int start = sep < 0 ? 0 : sep + 3;
    int slash = url.indexOf('/', start);
    int end = slash < 0 ? url.length() : slash;
    int at = url.lastIndexOf('@', end - 1);
    return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
  }

  /** The scheme for Redisson addresses of one node. */
  private String nodeScheme() {
    return tls ? "rediss://" : "redis://";
  }

  private String address(Node node) {
    return nodeScheme() + (node.host().contains(":") ? "[" + node.host() + "]" : node.host()) + ":" + node.port();
  }

  /** The (first) node's address in Redisson's form, without credentials. */
  public String address() {
    return address(nodes.get(0));
  }

  /** Every node's address in Redisson's form (Sentinel servers, Cluster seed nodes or the one server). */
  public List<String> nodeAddresses() {
    return nodes.stream().map(this::address).toList();
  }

  /** Whether this is one server reached directly (so dedicated connections can pipeline and go direct). */
  public boolean isSingle() {
    return topology == Topology.SINGLE;
  }

  /** The URL without the password, for logs. */
  public String redacted() {
    return switch (topology) {
      case SINGLE -> address() + "/" + database;
      case SENTINEL -> (tls ? "rediss-sentinel://" : "redis-sentinel://") + hostList() + "/" + masterName + "/"
          + database;
      case CLUSTER -> (tls ? "rediss-cluster://" : "redis-cluster://") + hostList();
    };
  }

  private String hostList() {
    return String.join(",", nodes.stream()
        .map(n -> (n.host().contains(":") ? "[" + n.host() + "]" : n.host()) + ":" + n.port()).toList());
  }

  /** Never shows the password (records print every component by default). */
  @Override
  public String toString() {
    return "RedisSettings[" + redacted() + (username == null ? "" : ", user " + username)
        + (password == null ? "" : ", password ***") + "]";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
