package dev.corral.broker.dag;

import dev.corral.broker.JobOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node of a DAG: a job to add to {@code queue} once every node in {@code dependsOn} has finished. Built by
 * {@link Dag.Builder}; checked by {@link DagValidator} (the constructor only normalises, so that every problem
 * can be reported at once).
 *
 * @param id node id, {@code [A-Za-z0-9._-]{1,128}}, unique in the DAG
 * @param queue the queue the job goes to (a valid queue name, under the executions' prefix)
 * @param jobName the job name; {@code null} means the node id
 * @param data the job data: any Jackson-serialisable value, or null for {@code {}}
 * @param options the job options ({@code null} means defaults); removeOnComplete, removeOnFail and
 *     deduplication are refused
 * @param dependsOn ids of the nodes this one waits for (null means none)
 * @param failurePolicy what this node's failure does, or {@code null} for the DAG's default
 */
public record DagNode(String id, String queue, String jobName, Object data, JobOptions options,
    List<String> dependsOn, FailurePolicy failurePolicy) {

  /** Normalises null options and dependency lists; copies the list. */
  public DagNode {
    options = options == null ? JobOptions.defaults() : options;
    dependsOn = dependsOn == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dependsOn));
    jobName = jobName == null ? id : jobName;
  }

  /** The policy that applies: this node's own, else {@code dagDefault}. */
  public FailurePolicy effectivePolicy(FailurePolicy dagDefault) {
    return failurePolicy != null ? failurePolicy : dagDefault;
  }
}
