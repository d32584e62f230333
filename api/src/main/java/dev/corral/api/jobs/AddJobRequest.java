package dev.corral.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.requests.Problems;
import dev.corral.broker.JobOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The body of {@code POST /api/queues/{queue}/jobs}, parsed and checked.
 *
 * @param name the job name
 * @param data the job data ({@code {}} when absent)
 * @param options the job options
 * @param idempotencyKey the idempotency key, or {@code null}
 */
public record AddJobRequest(String name, JsonNode data, JobOptions options, String idempotencyKey) {

  /** Longest job name and idempotency key accepted. */
  public static final int MAX_TEXT = 256;

  private static final Set<String> FIELDS = Set.of("name", "data", "options", "idempotency_key");

  /**
   * Parses {@code body}.
   *
   * @throws dev.corral.api.errors.ApiException 400 listing every problem
   */
  public static AddJobRequest parse(JsonNode body) {
    Problems problems = new Problems();
    problems.unknownFields(body, "", FIELDS, null);
    String name = problems.string(body, "", "name", null);
    if (name == null && !problems.has("name")) {
      problems.add("name", "name is required");
    } else if (name != null) {
      checkText("name", name, problems);
    }
    JsonNode data = Problems.field(body, "data");
    JobOptions options = JobOptionsParser.parse(Problems.field(body, "options"), "options", null, problems);
    String key = problems.string(body, "", "idempotency_key", null);
    if (key != null) {
      checkKey(key, problems);
    }
    problems.throwIfAny();
    return new AddJobRequest(name, data == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : data, options, key);
  }

  /** Records a problem when an idempotency key is empty, too long or has control characters. */
  public static void checkKey(String key, Problems problems) {
    if (key.isEmpty()) {
      problems.add("idempotency_key", "idempotency_key cannot be empty (leave it out for none)");
    } else {
      checkText("idempotency_key", key, problems);
    }
  }

  /** Records a problem at {@code field} when {@code text} is over {@value #MAX_TEXT} characters or has control characters. */
  public static void checkText(String field, String text, Problems problems) {
    if (text.length() > MAX_TEXT) {
      problems.add(field, field + " must be at most " + MAX_TEXT + " characters, was " + text.length());
    } else if (text.chars().anyMatch(Character::isISOControl)) {
      problems.add(field, field + " cannot contain control characters");
    }
  }

  /**
   * The job id used for an idempotency key when the request has no {@code job_id}: {@code idem-} and the
   * SHA-256 of the key in hex (never an integer, no {@code :}, 69 characters).
   */
  public static String derivedJobId(String idempotencyKey) {
    return "idem-" + sha256(idempotencyKey);
  }

  /** The SHA-256 of {@code text} (UTF-8) in lower-case hex. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
