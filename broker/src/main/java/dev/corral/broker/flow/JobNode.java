package dev.corral.broker.flow;

import java.util.List;

/**
 * A job added by a {@link FlowProducer}: where it went and what it waits for, in the shape of the added tree.
 *
 * @param prefix the key prefix of the job's queue
 * @param queueName the job's queue
 * @param id the job id (an existing job's id when a custom id was already taken)
 * @param children the added children, in the order given
 */
public record JobNode(String prefix, String queueName, String id, List<JobNode> children) {

  /** Copies the children. */
  public JobNode {
    children = List.copyOf(children);
  }

  /** The job's full key {@code "<prefix>:<queue>:<id>"}, as a parent's children are named. */
  public String key() {
    return prefix + ":" + queueName + ":" + id;
  }
}
