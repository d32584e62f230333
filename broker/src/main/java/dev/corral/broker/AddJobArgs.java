package dev.corral.broker;

import dev.corral.broker.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ARGV of {@code addJobs-1.lua} from validated requests. Pure: no I/O; every value a string.
 * Serialising the data here means a job whose data cannot be written fails before anything is sent.
 */
final class AddJobArgs {

  /** Values per job in the script's ARGV. */
  static final int STRIDE = 15;

  private AddJobArgs() {}

  /**
   * The ARGV for {@code jobs}, timestamped {@code now} unless a job has its own timestamp.
   *
   * @throws IllegalArgumentException naming the job index and field for data that does not serialise or
   *     exceeds the job's sizeLimit
   */
  static Object[] build(List<JobRequest> jobs, long now) {
    List<Object> args = new ArrayList<>(1 + jobs.size() * STRIDE);
    args.add(String.valueOf(jobs.size()));
    for (int i = 0; i < jobs.size(); i++) {
      JobRequest job = jobs.get(i);
      if (job == null) {
        throw new IllegalArgumentException("jobs[" + i + "] cannot be null");
      }
      JobOptions o = job.options();
      String field = jobs.size() == 1 ? "data" : "jobs[" + i + "].data";
      String data = Json.write(job.data(), field, "{}");
      if (o.sizeLimit() != null && data.getBytes(StandardCharsets.UTF_8).length > o.sizeLimit()) {
        throw new IllegalArgumentException(field + " is " + data.getBytes(StandardCharsets.UTF_8).length
            + " bytes, above the job's sizeLimit of " + o.sizeLimit());
      }
      Deduplication de = o.deduplication();
      args.add(o.jobId() == null ? "" : o.jobId());
      args.add(job.name());
      args.add(data);
      args.add(o.toWireJson());
      args.add(String.valueOf(o.timestamp() != null ? o.timestamp() : now));
      args.add(String.valueOf(o.delay()));
      args.add(String.valueOf(o.priority()));
      args.add(o.lifo() ? "1" : "0");
      args.add(de == null ? "" : de.id());
      args.add(de == null || de.ttlMs() == null ? "" : String.valueOf(de.ttlMs()));
      args.add(de != null && de.extend() ? "1" : "0");
      args.add(de != null && de.replace() ? "1" : "0");
      args.add(""); // parent key: flows
      args.add(""); // parent JSON: flows
      args.add("0"); // waits for children: flows
    }
    return args.toArray();
  }
}
