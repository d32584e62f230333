package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An existing job a new job is added as a child of (BullMQ's {@code opts.parent}): the parent then waits for it
 * like a flow parent waits for its children, e.g. a processor that adds children to its own job and then moves
 * it to waiting-children ({@code JobContext.moveToWaitingChildren}). The parent must exist when the child is
 * added.
 *
 * @param queue the parent's queue (its prefix and name)
 * @param id the parent's job id
 */
public record JobParent(QueueKeys queue, String id) {

  /** Validates the reference. */
  public JobParent {
    Checks.notNull(queue, "parent.queue");
    Checks.notEmpty(id, "parent.id");
  }

  /** Job {@code id} of queue {@code queueName} under the default prefix {@code bull}. */
  public static JobParent of(String queueName, String id) {
    return new JobParent(QueueKeys.of(queueName), id);
  }

  /** The child's {@code parent} hash field: {@code {"id","queueKey"[,policy flag]}}, as BullMQ stores it. */
  public String childField(ParentFailurePolicy policy) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("queueKey", queue.qualifiedName());
    if (policy != null) {
      m.put(policy.wireKey(), true);
    }
    return Json.write(m, "parent", "{}");
  }

  /** The parent's hash key {@code <prefix>:<queue>:<id>}. */
  public String jobKey() {
    return queue.job(id);
  }
}
