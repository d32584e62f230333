package dev.corral.broker.dag;

import dev.corral.broker.BrokerClient;
import dev.corral.broker.scripts.Command;
import dev.corral.broker.scripts.ScriptRunner;
import dev.corral.broker.support.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.redisson.client.codec.StringCodec;

/**
 * The reconciliation sweep (docs/dag.md): what guarantees that a DAG node finished outside Corral's worker
 * scripts is eventually handled even when its event was never read (a trimmed stream, no coordinator
 * running at the time). One {@link #sweep()}:
 *
 * <ol>
 *   <li>for each execution not yet ended ({@code <p>:dag:live}), {@code dagSweep} finishes every released
 *       node whose job is in completed / failed: one script call per execution, or one per
 *       {@value #FINISH_BATCH} finished nodes (no call blocks Redis for long);
 *   <li>a released node whose job hash is gone is finished as failed {@code "job removed"} at the second
 *       sweep that finds it gone: a worker's {@code removeOnComplete} deletes the hash in the same call that
 *       writes the {@code completed} event, and the coordinator reading that event (with the return value)
 *       must win; this sweeper remembers the nodes it found gone;
 *   <li>{@code dagCleanExpired} removes executions whose record expired from the index zsets
 *       ({@code index}, {@code status:*}, {@code workflow:*}), 500 per call.
 * </ol>
 *
 * <p>Every step is an idempotent script, so several sweepers (and coordinators) may run at once. Thread-safe:
 * sweeps of one sweeper run one at a time.
 */
public final class DagSweeper {

  /** Expired executions cleaned per script call. */
  static final int CLEAN_BATCH = 500;

  /** Nodes finished per {@code dagSweep} call (about 75 ms of Redis time each), so no call blocks Redis long. */
  static final int FINISH_BATCH = 1000;

  /**
   * What one sweep did.
   *
   * @param executions executions not yet ended that were swept
   * @param nodesFinished nodes the sweep finished
   * @param indexEntriesCleaned expired executions removed from the index zsets
   * @param goneJobs released nodes found without a job hash for the first time (finished at the next sweep
   *     unless their event is handled first)
   */
  public record Result(int executions, int nodesFinished, int indexEntriesCleaned, int goneJobs) {}

  private final BrokerClient client;
  private final ScriptRunner scripts;
  private final DagKeys keys;
  private final ReentrantLock lock = new ReentrantLock();
  private Map<String, List<String>> goneAtLastSweep = new HashMap<>(); // guarded by lock

  /** A sweeper of the executions under {@code keys}' prefix. */
  public DagSweeper(BrokerClient client, DagKeys keys) {
    this.client = Checks.notNull(client, "client");
    this.scripts = client.scripts();
    this.keys = Checks.notNull(keys, "keys");
  }

  /**
   * Runs one sweep now.
   *
   * @throws RuntimeException when Redis fails (what was done before stays done; the next sweep goes on)
   */
  public Result sweep() {
    lock.lock();
    try {
      long now = client.clock().millis();
      Collection<String> live = client.redisson().<String>getScoredSortedSet(keys.live(), StringCodec.INSTANCE)
          .valueRange(0, -1);
      Map<String, List<String>> goneNow = new HashMap<>();
      int finished = 0;
      int newlyGone = 0;
      for (String execId : live) {
        List<String> suspects = goneAtLastSweep.getOrDefault(execId, List.of());
        Set<String> gone = new LinkedHashSet<>();
        boolean more = true;
        while (more) {
          List<Object> args = new ArrayList<>(suspects.size() + 3);
          args.add(execId);
          args.add(String.valueOf(now));
          args.add(String.valueOf(FINISH_BATCH));
          args.addAll(suspects);
          List<Object> reply = scripts.run(Command.DAG_SWEEP, keys.base(), args.toArray());
          finished += ((Long) reply.get(0)).intValue();
          more = (Long) reply.get(1) == 1;
          reply.subList(2, reply.size()).forEach(n -> gone.add(String.valueOf(n)));
        }
        if (!gone.isEmpty()) {
          goneNow.put(execId, List.copyOf(gone));
          newlyGone += gone.size();
        }
      }
      goneAtLastSweep = goneNow;
      return new Result(live.size(), finished, cleanExpired(now), newlyGone);
    } finally {
      lock.unlock();
    }
  }

  private int cleanExpired(long now) {
    int cleaned = 0;
    while (true) {
      List<Object> reply = scripts.run(Command.DAG_CLEAN_EXPIRED, keys.base(), String.valueOf(now),
          String.valueOf(CLEAN_BATCH));
      cleaned += ((Long) reply.get(0)).intValue();
      if ((Long) reply.get(1) < CLEAN_BATCH) {
        return cleaned;
      }
    }
  }
}
