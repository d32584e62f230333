package dev.corral.api.schemas;

import dev.corral.broker.keys.QueueKeys;

/**
 * The Redis keys of the job schemas under one prefix (the server's, {@code bull} by default), so every API
 * instance on the same Redis shares them:
 *
 * <ul>
 *   <li>{@code <prefix>:corral:schemas}: hash, job name → the schema document (compact JSON);
 *   <li>{@code <prefix>:corral:schema-versions}: hash, job name → {@link SchemaInfo} as JSON (version = the
 *       SHA-256 of the document, update time, size, dialect); what a submission reads to see whether its
 *       cached compiled schema is current.
 * </ul>
 *
 * Both are written together in one MULTI/EXEC. Neither name ends in a suffix that dashboards use to find
 * queues ({@code meta}, {@code id}, {@code events}, ...). Pure; immutable.
 *
 * @param prefix the key prefix
 */
public record SchemaKeys(String prefix) {

  /** Checks the prefix the way queue prefixes are checked. */
  public SchemaKeys {
    QueueKeys.validatePrefix(prefix);
  }

  /** The keys under the default prefix {@code bull}. */
  public static SchemaKeys defaults() {
    return new SchemaKeys(QueueKeys.DEFAULT_PREFIX);
  }

  /** The hash of schema documents by job name. */
  public String documents() {
    return prefix + ":corral:schemas";
  }

  /** The hash of {@link SchemaInfo} JSON by job name. */
  public String versions() {
    return prefix + ":corral:schema-versions";
  }
}
