package dev.corral.api.schemas;

import dev.corral.api.errors.ApiException;
import dev.corral.api.jobs.AddJobRequest;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The rule for the job name in {@code /api/schemas/{jobName}}: any job name a submission may use
 * (1..{@value AddJobRequest#MAX_TEXT} characters, no control characters, Unicode allowed) that can also be
 * one path segment, so not {@code .} or {@code ..} and without {@code /} or {@code \}. (The request guard
 * already refuses encoded slashes and dot segments; this check does not rely on it.) Pure.
 */
public final class SchemaNames {

  private SchemaNames() {}

  /**
   * Returns {@code name} when it is acceptable.
   *
   * @throws ApiException 400 naming {@code job_name}
   */
  public static String check(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw ApiException.invalid("job_name", problem);
    }
    return name;
  }

  /** The path of {@code name}'s schema, {@code /api/schemas/<name>}, percent-encoded (also non-ASCII). */
  public static String path(String name) {
    try {
      return new URI(null, null, "/api/schemas/" + name, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("job name cannot be put in a path: " + name, e);
    }
  }

  /** Why {@code name} is refused, or {@code null} when it is fine. */
  static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "job name cannot be empty";
    }
    if (name.length() > AddJobRequest.MAX_TEXT) {
      return "job name must be at most " + AddJobRequest.MAX_TEXT + " characters, was " + name.length();
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return "job name cannot contain control characters";
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..")) {
      return "job name cannot contain '/' or '\\' or be '.' or '..', was '" + name + "'";
    }
    return null;
  }
}
