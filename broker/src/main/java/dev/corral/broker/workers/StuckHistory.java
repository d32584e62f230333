package dev.corral.broker.workers;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stuck-job history of one prefix (docs/workers.md, "Stuck history"): stalled recoveries, lost locks,
 * timeouts and dead workers' jobs, counted in hourly buckets per workflow (or per queue and job name for jobs
 * outside a workflow) and kept for {@link RegistrySettings#stuckRetention()} after the hour ends, with up to
 * {@link RegistrySettings#stuckLogPerHour()} events per hour kept in full.
 *
 * <p>Thread-safe; holds no state of its own.
 */
public final class StuckHistory {

  /** Most hours one query covers (about 90 days). */
  public static final int MAX_HOURS = 24 * 90;
  private static final long HOUR_MS = 3_600_000L;

  private final WorkerKeys keys;
  private final ScriptRunner scripts;
  private final Clock clock;
  private final RegistrySettings settings;

  /** The stuck history of the registry {@code registry}. */
  public StuckHistory(BrokerClient client, WorkerRegistry registry) {
    Checks.notNull(client, "client");
    Checks.notNull(registry, "registry");
    this.keys = registry.keys();
    this.settings = registry.settings();
    this.scripts = client.scripts();
    this.clock = client.clock();
  }

  /**
   * Records events (one script call); each is stored in the bucket of the hour it is recorded in. An event's
   * {@code at} is when it happened (0: now, the client clock's time). An event without a worker is attributed
   * to the registered worker running the job, unless that worker took the job at or after {@code at} (a job
   * recovered as stalled and taken again before the event is recorded), else to the dead worker that ran it.
   */
  public void record(List<StuckEvent> events) {
    Checks.notNull(events, "events");
    if (events.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>(3 + events.size() * 9);
    args.add(String.valueOf(clock.millis()));
    args.add(String.valueOf(settings.stuckRetention().toSeconds()));
    args.add(String.valueOf(settings.stuckLogPerHour()));
    for (StuckEvent e : events) {
      args.add(e.queue());
      args.add(e.jobId());
      args.add(e.jobName());
      args.add(nz(e.executionId()));
      args.add(nz(e.workflowId()));
      args.add(nz(e.workerId()));
      args.add(e.reason().wireName());
      args.add(e.detail());
      args.add(String.valueOf(Math.max(0, e.at())));
    }
    scripts.run(Command.STUCK_RECORD, keys.base(), args.toArray());
  }

  /** Every group's events over the last {@code hours} hours (the current hour included), most events first. */
  public List<StuckSummary> summaries(int hours) {
    StuckAggregation agg = new StuckAggregation();
    read(hours, 0).forEach(b -> agg.add(b.fields()));
    return agg.summaries();
  }

  /** The events of workflow {@code workflowId} over the last {@code hours} hours. */
  public Optional<StuckSummary> forWorkflow(String workflowId, int hours) {
    Checks.notEmpty(workflowId, "workflowId");
    return summaries(hours).stream().filter(s -> workflowId.equals(s.workflowId())).findFirst();
  }

  /** The events of jobs named {@code jobName} in {@code queue} (outside workflows) over the last hours. */
  public Optional<StuckSummary> forJobName(String queue, String jobName, int hours) {
    Checks.notNull(queue, "queue");
    Checks.notNull(jobName, "jobName");
    return summaries(hours).stream().filter(s -> s.workflowId() == null && queue.equals(s.queue())
        && jobName.equals(s.jobName())).findFirst();
  }

  /** The latest events in full over the last {@code hours} hours (at most {@code limit}), newest first. */
  public List<StuckEvent> recent(int hours, int limit) {
    Checks.inRange(limit, 1, 100_000, "limit");
    List<StuckEvent> out = new ArrayList<>();
    List<Bucket> buckets = read(hours, limit);
    for (int i = buckets.size() - 1; i >= 0 && out.size() < limit; i--) {
      for (String json : buckets.get(i).log()) {
        if (out.size() == limit) {
          break;
        }
        out.add(WorkerJson.read(json, StuckEventJson.class).toEvent());
      }
    }
    return out;
  }

  /** The wire form of a logged event (empty strings for unknown values). */
  record StuckEventJson(String queue, String jobId, String jobName, String executionId, String workflowId,
      String workerId, String reason, String detail, long at) {
    StuckEvent toEvent() {
      return new StuckEvent(queue, jobId, jobName, executionId, workflowId, workerId,
          StuckReason.fromWireName(reason), detail, at);
    }
  }

  private record Bucket(long hour, Map<String, String> fields, List<String> log) {}

  private List<Bucket> read(int hours, int logPerHour) {
    Checks.inRange(hours, 1, MAX_HOURS, "hours");
    long last = Math.floorDiv(clock.millis(), HOUR_MS);
    List<Object> r = scripts.run(Command.STUCK_QUERY, keys.base(), String.valueOf(last - hours + 1),
        String.valueOf(last), String.valueOf(logPerHour));
    List<Bucket> out = new ArrayList<>(r.size());
    for (Object o : r) {
      List<?> b = (List<?>) o;
      List<?> flat = (List<?>) b.get(1);
      Map<String, String> fields = new HashMap<>();
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
      }
      List<String> log = new ArrayList<>();
      ((List<?>) b.get(2)).forEach(x -> log.add(String.valueOf(x)));
      out.add(new Bucket(Long.parseLong(String.valueOf(b.get(0))), fields, log));
    }
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
