package dev.corral.broker.testing;

import dev.corral.broker.KeepJobs;
import dev.corral.broker.Queue;
import dev.corral.broker.lifecycle.FetchRequest;
import dev.corral.broker.lifecycle.FetchResult;
import dev.corral.broker.lifecycle.JobLifecycle;
import dev.corral.broker.scripts.Command;
import java.util.List;
import java.util.Map;

/**
 * Drives the worker-side and flow scripts directly, to put jobs in the states the admin tests need
 * (active with a lock, completed, failed, flow parents and children), through the same scripts a worker
 * and a flow producer use.
 */
public final class ScriptDriver {

  private final Queue queue;

  /** A driver for {@code queue}. */
  public ScriptDriver(Queue queue) {
    this.queue = queue;
  }

  /** Adds a flow parent (custom id) that waits for its children in waiting-children. */
  public String addParent(String jobId) {
    return add(jobId, "parent", "", "", true);
  }

  /** Adds a standard child job (custom id) of {@code parent}'s job {@code parentId}. */
  public String addChild(String jobId, Queue parent, String parentId) {
    String parentJson = "{\"id\":\"" + parentId + "\",\"queueKey\":\"" + parent.keys().qualifiedName() + "\"}";
    return add(jobId, "child", parent.keys().job(parentId), parentJson, false);
  }

  private String add(String jobId, String name, String parentKey, String parentJson, boolean waitsForChildren) {
    long now = queue.client().clock().millis();
    List<Object> reply = queue.client().scripts().run(Command.ADD_JOBS, queue.keys().base(), "1",
        jobId, name, "{}", "{\"jobId\":\"" + jobId + "\",\"attempts\":0}", String.valueOf(now), "0", "0", "0",
        "", "", "0", "0", "0", "0", parentKey, parentJson, waitsForChildren ? "1" : "0");
    return String.valueOf(reply.get(0));
  }

  /** Takes the next job into active with lock {@code token} ("0" = no lock); returns its id or null. */
  public String take(String token) {
    return takeAt(token, queue.client().clock().millis());
  }

  /** As {@link #take}, with the script's now set to {@code now} (a fetch whose clock was read earlier). */
  public String takeAt(String token, long now) {
    List<Object> reply = queue.client().scripts().run(Command.MOVE_TO_ACTIVE, queue.keys().base(),
        String.valueOf(now), token, "30000", "0", "0", "");
    Object id = reply.get(1);
    return id instanceof String s ? s : null;
  }

  /** Completes an active job with {@code returnValue} (JSON), keeping it. */
  public void complete(String jobId, String token, String returnValue) {
    completeAt(jobId, token, returnValue, queue.client().clock().millis());
  }

  /** As {@link #complete}, with the script's now set to {@code now}. */
  public void completeAt(String jobId, String token, String returnValue, long now) {
    finish(jobId, token, "completed", returnValue, now);
  }

  /** Fails an active job for good with {@code reason}, keeping it. */
  public void fail(String jobId, String token, String reason) {
    failAt(jobId, token, reason, queue.client().clock().millis());
  }

  /** As {@link #fail}, with the script's now set to {@code now}. */
  public void failAt(String jobId, String token, String reason, long now) {
    finish(jobId, token, "failed", reason, now);
  }

  /** Takes the next job and completes it; returns its id. */
  public String takeAndComplete(String returnValue) {
    String id = take("0");
    complete(id, "0", returnValue);
    return id;
  }

  /** Takes the next job and fails it; returns its id. */
  public String takeAndFail(String reason) {
    String id = take("0");
    fail(id, "0", reason);
    return id;
  }

  /**
   * Adds a job named {@code m}, takes it through {@code lifecycle} (a worker's own calls, so its settings such as
   * metrics apply) with lock {@code tok}, and completes it (return value {@code 1}) or fails it for good
   * ({@code boom}), applying {@code keep}; returns its id.
   *
   * @throws IllegalStateException when the job taken is not the one added (the queue was not empty)
   */
  public String addTakeAndFinish(JobLifecycle lifecycle, boolean complete, KeepJobs keep) {
    String id = queue.add("m", Map.of());
    FetchResult taken = lifecycle.fetch(new FetchRequest("tok", 30_000, 0, 0, ""));
    if (taken.job() == null || !id.equals(taken.job().id())) {
      throw new IllegalStateException("added job " + id + " but took " + (taken.job() == null ? "none"
          : taken.job().id()));
    }
    if (complete) {
      lifecycle.complete(id, "tok", "1", keep, null);
    } else {
      lifecycle.fail(id, "tok", "boom", "[]", keep, 1, null);
    }
    return id;
  }

  private void finish(String jobId, String token, String target, String value, long now) {
    List<Object> reply = queue.client().scripts().run(Command.MOVE_TO_FINISHED, queue.keys().base(), jobId,
        String.valueOf(now), target, value, token, "-1", "", "1000", "0",
        target.equals("failed") ? "[]" : "", "0", "30000", "0", "0", "0", "");
    long code = (Long) reply.get(0);
    if (code != 0) {
      throw new IllegalStateException("moveToFinished " + jobId + " returned " + code);
    }
  }
}
