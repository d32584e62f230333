package dev.corral.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.schedule.SchedulerPlanner;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import dev.corral.broker.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A queue's job schedulers (BullMQ 6.7.0's repeatable jobs): {@code P repeat} scores each scheduler id by
 * the due time of its current iteration, {@code P repeat:<id>} holds its options and template, and the
 * iterations are jobs {@code repeat:<id>:<millis>} with an {@code rjk} field. A worker that takes an
 * iteration adds the next one ({@link #scheduleNextIteration}), so Corral and bullmq workers continue each
 * other's schedules. Time comes from the client's clock. See docs/schedulers.md.
 *
 * <p>Thread-safe. Obtain from {@link Queue#schedulers()} or {@link #of}.
 */
public final class JobSchedulers {

  /** Longest scheduler id accepted. */
  public static final int MAX_ID_LENGTH = 1000;

  /**
   * The iteration an upsert added.
   *
   * @param jobId {@code repeat:<id>:<millis>}
   * @param delay ms until it is due (0: it is waiting)
   */
  public record Iteration(String jobId, long delay) {}

  private final BrokerClient client;
  private final QueueKeys keys;
  private final ScriptRunner scripts;

  private JobSchedulers(BrokerClient client, QueueKeys keys) {
    this.client = client;
    this.keys = keys;
    this.scripts = client.scripts();
  }

  /** The schedulers of the queue {@code keys}, without writing anything (unlike {@link BrokerClient#queue}). */
  public static JobSchedulers of(BrokerClient client, QueueKeys keys) {
    return new JobSchedulers(Checks.notNull(client, "client"), Checks.notNull(keys, "keys"));
  }

  /**
   * Creates or replaces scheduler {@code id} and adds its next iteration, replacing a pending one (an
   * {@code every} scheduler whose interval did not change keeps its due time). As bullmq's
   * {@code Queue.upsertJobScheduler}.
   *
   * @param template the iterations' name, data and options, or {@code null} (name = id, data {})
   * @return the iteration added, or empty when a pattern has no time left before its endDate
   * @throws IllegalArgumentException for a bad id, an endDate in the past, or data that does not serialise;
   *     nothing is written then
   * @throws BrokerException when the iteration's id is taken (codes -10, -11, bullmq's messages)
   */
  public Optional<Iteration> upsertJobScheduler(String id, RepeatOptions repeat, JobSchedulerTemplate template) {
    validateId(id);
    Checks.notNull(repeat, "repeat");
    JobSchedulerTemplate t = template == null ? new JobSchedulerTemplate(null, null, null) : template;
    long now = client.clock().millis();
    if (repeat.endDate() != null && repeat.endDate() < now) {
      throw new IllegalArgumentException("End date must be greater than current timestamp (repeat.endDate "
          + repeat.endDate() + ", now " + now + ")");
    }
    String data = Json.write(t.data(), "template.data", "{}");
    ObjectNode templateOpts = templateOpts(t.opts());
    Optional<SchedulerPlanner.Plan> plan = SchedulerPlanner.first(id, repeat, templateOpts, now);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    String name = t.name() == null ? id : t.name();
    List<Object> reply = scripts.run(Command.ADD_JOB_SCHEDULER, keys.base(), id, name,
        text(plan.get().nextMillis()), text(repeat.every()), orEmpty(repeat.pattern()), orEmpty(repeat.tz()),
        text(repeat.limit()), text(repeat.startDate()), text(repeat.endDate()),
        repeat.every() != null && repeat.offset() > 0 ? String.valueOf(repeat.offset()) : "", data,
        templateOpts.toString(), plan.get().opts().toString(), String.valueOf(now));
    if (reply.size() == 1) {
      throw ScriptError.toException((Long) reply.get(0), id, "addJobScheduler", null);
    }
    return Optional.of(new Iteration(String.valueOf(reply.get(0)), (Long) reply.get(1)));
  }

  /**
   * Removes scheduler {@code id} and its current iteration when that is still delayed (an iteration already
   * waiting or running stays). Emits {@code removed} for a deleted iteration.
   *
   * @return false when there was no such scheduler
   */
  public boolean removeJobScheduler(String id) {
    validateId(id);
    return (Long) scripts.run(Command.REMOVE_JOB_SCHEDULER, keys.base(), id).get(0) == 0L;
  }

  /** Scheduler {@code id}, or empty when it does not exist. */
  public Optional<JobScheduler> getJobScheduler(String id) {
    validateId(id);
    List<JobScheduler> found = decode(scripts.run(Command.GET_JOB_SCHEDULERS, keys.base(), "id", id));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * Schedulers {@code start..end} (inclusive, -1 = to the end) by due time, latest first unless {@code asc}
   * (bullmq's default order is descending too).
   */
  public List<JobScheduler> getJobSchedulers(long start, long end, boolean asc) {
    Checks.atLeast(start, 0, "start");
    Checks.atLeast(end, -1, "end");
    return decode(scripts.run(Command.GET_JOB_SCHEDULERS, keys.base(), "range", String.valueOf(start),
        String.valueOf(end), asc ? "1" : "0"));
  }

  /** How many schedulers the queue has ({@code ZCARD P repeat}). */
  public long getJobSchedulersCount() {
    return client.redisson().getScoredSortedSet(keys.key("repeat")).size();
  }

  /**
   * What a bullmq worker does when it takes a job: if {@code job} is a scheduler iteration ({@code rjk}),
   * adds the scheduler's next iteration, unless its limit or endDate is reached, the job is no longer the
   * scheduler's current iteration, or the next one exists already.
   *
   * @return the id of the iteration added, if any
   * @throws IllegalArgumentException when the job's stored repeat options are invalid (bullmq's messages)
   * @throws LegacyRepeatableJobException for a legacy repeatable job (BullMQ 5 key), which BullMQ 6 cannot continue
   */
  public Optional<String> scheduleNextIteration(Job job) {
    Checks.notNull(job, "job");
    String schedulerId = job.raw().get("rjk");
    if (schedulerId == null || schedulerId.isEmpty()) {
      return Optional.empty();
    }
    if (LegacyRepeatKeys.hasLegacyShape(schedulerId) && !client.redisson()
        .getMap(keys.key("repeat:" + schedulerId), org.redisson.client.codec.StringCodec.INSTANCE)
        .containsKey("ic")) {
      throw new LegacyRepeatableJobException(schedulerId);
    }
    JsonNode opts = job.opts() != null && job.opts().isObject() ? job.opts() : Json.MAPPER.createObjectNode();
    long now = client.clock().millis();
    Optional<SchedulerPlanner.Plan> plan = SchedulerPlanner.next(schedulerId, opts, now);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    List<Object> reply = scripts.run(Command.UPDATE_JOB_SCHEDULER, keys.base(), schedulerId,
        text(plan.get().nextMillis()), plan.get().opts().toString(), String.valueOf(now), job.id());
    return reply.isEmpty() ? Optional.empty() : Optional.of(String.valueOf(reply.get(0)));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Checks a scheduler id: not empty, at most {@value #MAX_ID_LENGTH} characters, no control characters.
   *
   * @throws IllegalArgumentException naming {@code jobSchedulerId} and the value
   */
  public static void validateId(String id) {
    Checks.notEmpty(id, "jobSchedulerId");
    Checks.isTrue(id.length() <= MAX_ID_LENGTH, "jobSchedulerId must be at most %d characters, was %d",
        MAX_ID_LENGTH, id.length());
    Checks.isTrue(id.chars().noneMatch(Character::isISOControl),
        "jobSchedulerId cannot contain control characters, was '%s'", id);
  }

  /** The template's opts as bullmq stores them: compact keys, no default attempts. */
  private static ObjectNode templateOpts(JobOptions opts) {
    if (opts == null) {
      return Json.MAPPER.createObjectNode();
    }
    Map<String, Object> wire = opts.toWire();
    if (opts.attempts() == null) {
      wire.remove("attempts");
    }
    return Json.MAPPER.valueToTree(wire);
  }

  private static List<JobScheduler> decode(List<Object> reply) {
    List<JobScheduler> out = new ArrayList<>();
    for (int i = 0; i + 2 < reply.size(); i += 3) {
      Map<String, String> h = new LinkedHashMap<>();
      List<?> flat = (List<?>) reply.get(i + 2);
      for (int j = 0; j + 1 < flat.size(); j += 2) {
        h.put(String.valueOf(flat.get(j)), String.valueOf(flat.get(j + 1)));
      }
      out.add(new JobScheduler(String.valueOf(reply.get(i)), h.get("name"), num(String.valueOf(reply.get(i + 1))),
          num(h.get("ic")), num(h.get("limit")), num(h.get("startDate")), num(h.get("endDate")), h.get("tz"),
          h.get("pattern"), num(h.get("every")), num(h.get("offset")),
          h.containsKey("data") ? Json.parseLenient(h.get("data")) : null,
          h.containsKey("opts") ? Json.parseLenient(h.get("opts")) : null));
    }
    return out;
  }

  private static Long num(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return (long) Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(Number n) {
    return n == null ? "" : String.valueOf(n.longValue());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
