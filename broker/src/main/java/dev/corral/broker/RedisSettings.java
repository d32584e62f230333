package dev.corral.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where Redis is, parsed from a URL: {@code redis://[[user]:password@]host[:port][/db]} or
 * {@code rediss://...} for TLS.
 *
 * @param tls whether to use TLS ({@code rediss})
 * @param host host name or address
 * @param port TCP port (6379 by default)
 * @param username ACL user, or null
 * @param password password, or null
 * @param database database index (0 by default)
 */
public record RedisSettings(boolean tls, String host, int port, String username, String password, int database) {

  /**
   * Parses a Redis URL.
   *
   * @throws IllegalArgumentException naming the problem when the URL is not a valid redis:// or rediss:// URL
   */
  public static RedisSettings parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("REDIS_URL cannot be empty");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("REDIS_URL is not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://, was '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("REDIS_URL has no host: '" + url + "'");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("REDIS_URL database must be a number, was '" + path.substring(1) + "'");
      }
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    return new RedisSettings("rediss".equals(scheme), uri.getHost(), port, user, password, db);
  }

  /** The address in Redisson's form, without credentials. */
  public String address() {
    return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL without the password, for logs. */
  public String redacted() {
    return address() + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
