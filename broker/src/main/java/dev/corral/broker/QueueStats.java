package dev.corral.broker;

import dev.corral.broker.keys.QueueKeys;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.support.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue at a glance, read by one read-only script ({@code queueStats}): counts per state, the meta hash,
 * ready jobs per priority and job names over a bounded sample. Reading it writes nothing (unlike
 * {@link BrokerClient#queue(String)}, which sets up the meta hash), so tools can read queues they only
 * discovered.
 *
 * @param counts jobs per state: waiting, paused (legacy list), active, prioritized, delayed, completed, failed,
 *     waiting-children, in that order
 * @param meta the meta hash (paused flag, limits, versions)
 * @param priorities ready jobs per priority, lowest first: 0 is the wait list, p the prioritized jobs of
 *     priority p; priorities without jobs are left out
 * @param morePriorities true when the queue has more distinct priorities than were asked for
 * @param names jobs per name among the {@code scanned} sampled jobs (active, waiting, prioritized, delayed),
 *     most frequent first
 * @param scanned job ids read for the name sample
 * @param sampled true when those four states hold more jobs than the sample size, so {@code names} counts only
 *     part of them
 * @param finishedTotals jobs counted by BullMQ's worker metrics ({@link JobMetrics#count()}) per finished state,
 *     {@link JobState#COMPLETED} and {@link JobState#FAILED}; a state no worker with metrics finished a job in is
 *     left out
 */
public record QueueStats(Map<JobState, Long> counts, QueueMeta meta, Map<Integer, Long> priorities,
    boolean morePriorities, Map<String, Long> names, long scanned, boolean sampled,
    Map<JobState, Long> finishedTotals) {

  /** Largest name sample one call reads. */
  public static final int MAX_SAMPLE = 100_000;

  /** Most distinct priorities one call reports. */
  public static final int MAX_PRIORITIES = 10_000;

  private static final JobState[] ORDER = {JobState.WAITING, JobState.PAUSED, JobState.ACTIVE,
      JobState.PRIORITIZED, JobState.DELAYED, JobState.COMPLETED, JobState.FAILED, JobState.WAITING_CHILDREN};

  /** Copies the maps. */
  public QueueStats {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    priorities = Collections.unmodifiableMap(new LinkedHashMap<>(priorities));
    names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
    finishedTotals = Collections.unmodifiableMap(new LinkedHashMap<>(finishedTotals));
  }

  /**
   * Reads the queue {@code keys} on {@code client}'s Redis.
   *
   * @param nameSample most jobs whose name is read, 0..{@value #MAX_SAMPLE} (0: no names)
   * @param maxPriorities most distinct priorities reported, 0..{@value #MAX_PRIORITIES} (0: none)
   */
  public static QueueStats read(BrokerClient client, QueueKeys keys, int nameSample, int maxPriorities) {
    Checks.notNull(client, "client");
    Checks.notNull(keys, "keys");
    Checks.inRange(nameSample, 0, MAX_SAMPLE, "nameSample");
    Checks.inRange(maxPriorities, 0, MAX_PRIORITIES, "maxPriorities");
    List<Object> reply = client.scripts().run(Command.QUEUE_STATS, keys.base(), String.valueOf(nameSample),
        String.valueOf(maxPriorities));
    return decode(reply);
  }

  /** The script's reply, decoded (see the script's header for the layout). */
  static QueueStats decode(List<Object> reply) {
    List<?> rawCounts = (List<?>) reply.get(0);
    Map<JobState, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < ORDER.length; i++) {
      counts.put(ORDER[i], (Long) rawCounts.get(i));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    List<?> rawMeta = (List<?>) reply.get(1);
    for (int i = 0; i + 1 < rawMeta.size(); i += 2) {
      meta.put(String.valueOf(rawMeta.get(i)), String.valueOf(rawMeta.get(i + 1)));
    }
    Map<Integer, Long> priorities = new LinkedHashMap<>();
    List<?> rawPriorities = (List<?>) reply.get(2);
    for (int i = 0; i + 1 < rawPriorities.size(); i += 2) {
      priorities.put(((Long) rawPriorities.get(i)).intValue(), (Long) rawPriorities.get(i + 1));
    }
    List<?> rawNames = (List<?>) reply.get(4);
    List<Map.Entry<String, Long>> names = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < rawNames.size(); i += 2) {
      names.add(Map.entry(String.valueOf(rawNames.get(i)), (Long) rawNames.get(i + 1)));
    }
    names.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> byName = new LinkedHashMap<>();
    names.forEach(e -> byName.put(e.getKey(), e.getValue()));
    Map<JobState, Long> finishedTotals = new LinkedHashMap<>();
    List<?> rawTotals = (List<?>) reply.get(7);
    JobState[] finished = {JobState.COMPLETED, JobState.FAILED};
    for (int i = 0; i < finished.length; i++) {
      Object total = rawTotals.get(i);
      if (total != null) {
        finishedTotals.put(finished[i], Long.parseLong(String.valueOf(total)));
      }
    }
    return new QueueStats(counts, QueueMeta.fromHash(meta), priorities, (Long) reply.get(3) == 1L, byName,
        (Long) reply.get(5), (Long) reply.get(6) == 1L, finishedTotals);
  }

  /** Whether the queue is paused ({@code meta.paused} exists). */
  public boolean paused() {
    return meta.paused();
  }

  /** Jobs in {@code state} (0 for a state not counted). */
  public long count(JobState state) {
    return counts.getOrDefault(state, 0L);
  }

  /** The counts of the states BullMQ 6 reports by default ({@link JobState#defaultCountStates()}), in that order. */
  public Map<JobState, Long> defaultCounts() {
    Map<JobState, Long> out = new LinkedHashMap<>();
    for (JobState s : JobState.defaultCountStates()) {
      out.put(s, count(s));
    }
    return out;
  }
}
