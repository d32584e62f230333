/**
 * Leader election by a Redis lease (docs/architecture.md, "Leader election and maintenance"): one key holds
 * the leader's instance id with a TTL; the leader renews it, others try to take it. {@link
 * dev.corral.broker.lease.LeaseState} is the pure state, {@link dev.corral.broker.lease.LeaderLease} the I/O.
 */
package dev.corral.broker.lease;
