package dev.corral.broker;

import dev.corral.broker.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the ARGV of {@code addJobs-1.lua} from validated requests. Pure: no I/O; every value a string.
 * Serialising the data here means a job whose data cannot be written fails before anything is sent.
 */
final class AddJobArgs {

  /** Values per job in the script's ARGV. */
  static final int STRIDE = 17;

  private AddJobArgs() {}

  /**
   * The ARGV for {@code jobs}, timestamped {@code now} unless a job has its own timestamp.
   *
   * @throws IllegalArgumentException naming the job index and field for data that does not serialise or
   *     exceeds the job's sizeLimit
   */
  static Object[] build(List<JobRequest> jobs, long now) {
    Object[] args = new Object[1 + jobs.size() * STRIDE];
    args[0] = String.valueOf(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      JobRequest job = jobs.get(i);
      if (job == null) {
        throw new IllegalArgumentException("jobs[" + i + "] cannot be null");
      }
      Object[] group = group(job, now, jobs.size() == 1 ? "data" : "jobs[" + i + "].data");
      System.arraycopy(group, 0, args, 1 + i * STRIDE, STRIDE);
    }
    return args;
  }

  /**
   * The {@link #STRIDE} values of one job (without the leading count).
   *
   * @param dataField how to name the data in an error message
   * @throws IllegalArgumentException for data that does not serialise or exceeds the job's sizeLimit
   */
  static Object[] group(JobRequest job, long now, String dataField) {
    JobOptions o = job.options();
    String data = Json.write(job.data(), dataField, "{}");
    if (o.sizeLimit() != null) {
      int bytes = data.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > o.sizeLimit()) {
        throw new IllegalArgumentException(dataField + " is " + bytes + " bytes, above the job's sizeLimit of "
            + o.sizeLimit());
      }
    }
    Deduplication de = o.deduplication();
    JobParent parent = o.parent();
    return new Object[] {
      o.jobId() == null ? "" : o.jobId(),
      job.name(),
      data,
      o.toWireJson(parent),
      String.valueOf(o.timestamp() != null ? o.timestamp() : now),
      String.valueOf(o.delay()),
      String.valueOf(o.priority()),
      o.lifo() ? "1" : "0",
      de == null ? "" : de.id(),
      de == null || de.ttlMs() == null ? "" : String.valueOf(de.ttlMs()),
      de != null && de.extend() ? "1" : "0",
      de != null && de.replace() ? "1" : "0",
      de != null && de.reschedule() ? "1" : "0",
      de != null && de.keepLastIfActive() ? "1" : "0",
      parent == null ? "" : parent.jobKey(),
      parent == null ? "" : parent.childField(o.parentFailurePolicy()),
      "0" // waits for children: flows
    };
  }
}
