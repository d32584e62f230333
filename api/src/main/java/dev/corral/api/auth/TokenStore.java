package dev.corral.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured bearer tokens, kept only as SHA-256 hashes. A presented token is hashed and compared with
 * every entry in constant time ({@link MessageDigest#isEqual}), without stopping at the first match.
 *
 * <p>Entries are {@code role:token} or {@code role:sha256:<64 hex digits>}; a worker token may be bound to worker
 * ids as {@code worker@<id or prefix*>[+...]:token} (see {@link WorkerBinding}). Immutable; thread-safe.
 */
public final class TokenStore {

  /**
   * Who a token belongs to.
   *
   * @param role its role
   * @param workers the worker ids it may act as ({@link WorkerBinding#ANY} for every role but a bound worker)
   */
  public record Caller(Role role, WorkerBinding workers) {}

  private record Entry(Caller caller, byte[] hash) {}

  private static final TokenStore EMPTY = new TokenStore(List.of());

  private final List<Entry> entries;

  private TokenStore(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No tokens. */
  public static TokenStore empty() {
    return EMPTY;
  }

  /**
   * Parses {@code entries}; blank entries and lines starting with {@code #} are skipped.
   *
   * @param source where the entries come from, for error messages (e.g. {@code CORRAL_TOKENS})
   * @throws IllegalArgumentException naming {@code source} for a malformed entry; never echoes a token
   */
  public static TokenStore parse(String source, List<String> entries) {
    List<Entry> parsed = new ArrayList<>();
    int n = 0;
    for (String raw : entries) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " entry " + n;
      int colon = line.indexOf(':');
      if (colon <= 0 || colon == line.length() - 1) {
        throw new IllegalArgumentException(where + " must be role:token or role:sha256:<hex>");
      }
      String rolePart = line.substring(0, colon);
      int at = rolePart.indexOf('@');
      Role role;
      WorkerBinding binding = WorkerBinding.ANY;
      try {
        role = Role.parse(at < 0 ? rolePart : rolePart.substring(0, at));
        if (at >= 0) {
          if (role != Role.WORKER) {
            throw new IllegalArgumentException("only worker tokens can be bound to worker ids (worker@<id>:...), "
                + "not " + role.configName() + " tokens");
          }
          binding = WorkerBinding.parse(rolePart.substring(at + 1));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      String secret = line.substring(colon + 1);
      byte[] hash;
      if (secret.startsWith("sha256:")) {
        String hex = secret.substring("sha256:".length());
        if (!hex.matches("[0-9a-fA-F]{64}")) {
          throw new IllegalArgumentException(where + ": sha256: must be followed by 64 hex digits");
        }
        hash = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
      } else {
        if (secret.chars().anyMatch(c -> c <= ' ' || c == ',')) {
          throw new IllegalArgumentException(where + ": a token cannot contain spaces, control characters or ','");
        }
        hash = sha256(secret);
      }
      parsed.add(new Entry(new Caller(role, binding), hash));
    }
    return new TokenStore(parsed);
  }

  /** This store plus {@code other}'s entries. */
  public TokenStore plus(TokenStore other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new TokenStore(all);
  }

  /** Whether no token is configured. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** How many tokens are configured. */
  public int size() {
    return entries.size();
  }

  /** The role of {@code token}, or empty when it is unknown; compares against every entry in constant time. */
  public Optional<Role> roleOf(String token) {
    return callerOf(token).map(Caller::role);
  }

  /**
   * The role and worker binding of {@code token}, or empty when it is unknown; compares against every entry in
   * constant time. When one token is configured twice, the first entry wins.
   */
  public Optional<Caller> callerOf(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(token);
    Caller found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.hash(), hash) && found == null) {
        found = e.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The SHA-256 hash of {@code token} as 64 lower-case hex digits, as written in a tokens file. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "TokenStore[" + entries.size() + " tokens]";
  }
}
