/**
 * BullMQ 6.7.0 flows: {@link dev.corral.broker.flow.FlowProducer} adds trees of jobs (parents wait in
 * {@code waiting-children} for children in any queue) atomically, and {@link dev.corral.broker.flow.ParentReads}
 * reads what a parent's children left (return values, ignored failures, pending and failed children).
 */
package dev.corral.broker.flow;
