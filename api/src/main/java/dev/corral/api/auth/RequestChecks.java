package dev.corral.api.auth;

import java.util.Locale;
import java.util.Optional;

/** The pure request checks of {@link ApiGuard}: path traversal and JSON content types. */
final class RequestChecks {

  private RequestChecks() {}

  /**
   * Why the path is refused, or empty when it is fine: encoded slashes, backslashes or NUL in the raw path,
   * or a {@code .} / {@code ..} segment in the raw or the decoded path (e.g. from {@code %2e%2e}).
   */
  static Optional<String> badPath(String rawPath, String decodedPath) {
    String raw = rawPath.toLowerCase(Locale.ROOT);
    if (raw.contains("%2f") || raw.contains("%5c") || raw.contains("%00") || raw.contains("\\")) {
      return Optional.of("the path cannot contain encoded slashes, backslashes or NUL characters");
    }
    for (String segment : (raw + "/" + decodedPath).split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("the path cannot contain '.' or '..' segments");
      }
    }
    if (decodedPath.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("the path cannot contain control characters");
    }
    return Optional.empty();
  }

  /** Whether {@code contentType} is {@code application/json} or {@code application/*+json}. */
  static boolean isJson(Optional<String> contentType) {
    if (contentType.isEmpty()) {
      return false;
    }
    String type = contentType.get().toLowerCase(Locale.ROOT);
    int semi = type.indexOf(';');
    String bare = (semi < 0 ? type : type.substring(0, semi)).strip();
    return bare.equals("application/json") || (bare.startsWith("application/") && bare.endsWith("+json"));
  }
}
