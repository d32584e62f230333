package dev.corral.broker.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Backoff;
import dev.corral.broker.Deduplication;
import dev.corral.broker.JobOptions;
import dev.corral.broker.JobParent;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.KeepJobs;
import dev.corral.broker.flow.FlowJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates the options object a Node test step passes to {@code queue.add} (BullMQ's public names) into
 * Corral's {@link JobOptions}, so one scenario runs unchanged on both sides.
 */
public final class BullmqOpts {

  private BullmqOpts() {}

  /** Corral's options for a BullMQ {@code opts} object ({@code null} or JSON null gives the defaults). */
  public static JobOptions toJobOptions(JsonNode o) {
    JobOptions.Builder b = JobOptions.builder();
    if (o == null || o.isNull()) {
      return b.build();
    }
    if (o.has("jobId")) {
      b.jobId(o.get("jobId").asText());
    }
    if (o.has("delay")) {
      b.delay(o.get("delay").asLong());
    }
    if (o.has("priority")) {
      b.priority(o.get("priority").asInt());
    }
    if (o.has("lifo")) {
      b.lifo(o.get("lifo").asBoolean());
    }
    if (o.has("attempts")) {
      b.attempts(o.get("attempts").asInt());
    }
    if (o.has("backoff")) {
      b.backoff(backoff(o.get("backoff")));
    }
    if (o.has("removeOnComplete")) {
      b.removeOnComplete(keep(o.get("removeOnComplete")));
    }
    if (o.has("removeOnFail")) {
      b.removeOnFail(keep(o.get("removeOnFail")));
    }
    if (o.has("keepLogs")) {
      b.keepLogs(o.get("keepLogs").asInt());
    }
    if (o.has("stackTraceLimit")) {
      b.stackTraceLimit(o.get("stackTraceLimit").asInt());
    }
    if (o.has("sizeLimit")) {
      b.sizeLimit(o.get("sizeLimit").asInt());
    }
    if (o.has("timestamp")) {
      b.timestamp(o.get("timestamp").asLong());
    }
    if (o.has("deduplication")) {
      JsonNode d = o.get("deduplication");
      b.deduplication(new Deduplication(d.get("id").asText(), d.has("ttl") ? d.get("ttl").asLong() : null,
          d.path("extend").asBoolean(false), d.path("replace").asBoolean(false),
          d.path("reschedule").asBoolean(false), d.path("keepLastIfActive").asBoolean(false)));
    }
    if (o.has("parent")) {
      String queue = o.get("parent").get("queue").asText(); // "<prefix>:<queue>"
      int colon = queue.indexOf(':');
      b.parent(new JobParent(new QueueKeys(queue.substring(0, colon), queue.substring(colon + 1)),
          o.get("parent").get("id").asText()));
    }
    b.failParentOnFailure(o.path("failParentOnFailure").asBoolean(false));
    b.continueParentOnFailure(o.path("continueParentOnFailure").asBoolean(false));
    b.ignoreDependencyOnFailure(o.path("ignoreDependencyOnFailure").asBoolean(false));
    b.removeDependencyOnFailure(o.path("removeDependencyOnFailure").asBoolean(false));
    return b.build();
  }

  /**
   * Corral's flow for a BullMQ FlowProducer tree ({@code {name, queueName, data, opts, prefix, children}}).
   */
  public static FlowJob toFlowJob(JsonNode n) {
    List<FlowJob> children = new ArrayList<>();
    n.path("children").forEach(c -> children.add(toFlowJob(c)));
    return new FlowJob(n.get("queueName").asText(), n.get("name").asText(), n.get("data"),
        toJobOptions(n.get("opts")), n.has("prefix") ? n.get("prefix").asText() : null, children);
  }

  private static Backoff backoff(JsonNode n) {
    if (n.isNumber()) {
      return Backoff.fixed(n.asLong());
    }
    Backoff b = new Backoff(n.get("type").asText(), n.path("delay").asLong(0), 0);
    return n.has("jitter") ? b.withJitter(n.get("jitter").asDouble()) : b;
  }

  private static KeepJobs keep(JsonNode n) {
    if (n.isBoolean()) {
      return n.asBoolean() ? KeepJobs.none() : KeepJobs.all();
    }
    if (n.isNumber()) {
      return KeepJobs.count(n.asInt());
    }
    if (n.has("age")) {
      return KeepJobs.age(n.get("age").asLong(), n.has("count") ? n.get("count").asInt() : null,
          n.has("limit") ? n.get("limit").asInt() : null);
    }
    // {"count": n} is kept as an object, as BullMQ stores what the caller gave
    return new KeepJobs(n.get("count").asInt(), null, null, Map.of("count", n.get("count").asInt()));
  }

  /** bullmq's repeat options JSON ({every | pattern, tz, limit, startDate, endDate, offset, immediately}). */
  public static dev.corral.broker.RepeatOptions toRepeatOptions(JsonNode r) {
    dev.corral.broker.RepeatOptions.Builder b = r.has("every")
        ? dev.corral.broker.RepeatOptions.every(r.get("every").asLong())
        : dev.corral.broker.RepeatOptions.pattern(r.path("pattern").asText());
    if (r.has("tz")) {
      b.tz(r.get("tz").asText());
    }
    if (r.has("limit")) {
      b.limit(r.get("limit").asInt());
    }
    if (r.has("startDate")) {
      b.startDate(r.get("startDate").asLong());
    }
    if (r.has("endDate")) {
      b.endDate(r.get("endDate").asLong());
    }
    if (r.has("offset")) {
      b.offset(r.get("offset").asLong());
    }
    if (r.has("immediately")) {
      b.immediately(r.get("immediately").asBoolean());
    }
    return b.build();
  }

  /** bullmq's job template JSON ({name, data, opts}), or null. */
  public static dev.corral.broker.JobSchedulerTemplate toTemplate(JsonNode t) {
    if (t == null || t.isNull()) {
      return null;
    }
    return new dev.corral.broker.JobSchedulerTemplate(t.has("name") ? t.get("name").asText() : null,
        t.get("data"), t.has("opts") ? toJobOptions(t.get("opts")) : null);
  }
}
