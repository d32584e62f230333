package dev.corral.broker.scripts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of ours, loaded from the classpath with its includes inlined.
 *
 * @param name the command name, e.g. {@code addJobs}
 * @param numberOfKeys how many KEYS the script takes (from the file name {@code <name>-<n>.lua})
 * @param source the full source text, includes resolved
 * @param sha1 the SHA-1 of {@code source} as Redis computes it for EVALSHA
 */
public record LuaScript(String name, int numberOfKeys, String source, String sha1) {

  /** Builds the record and computes the script's SHA-1. */
  public static LuaScript of(String name, int numberOfKeys, String source) {
    return new LuaScript(name, numberOfKeys, source, sha1Hex(source));
  }

  private static String sha1Hex(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }
}
