/**
 * Leader duties of the API server (docs/architecture.md, "Leader election and maintenance"): the background
 * maintenance the elected instance runs ({@link dev.corral.api.leader.Maintenance}), one recovery pass with a
 * dry-run mode ({@link dev.corral.api.leader.Recovery}) and the {@code /api/admin} routes.
 */
package dev.corral.api.leader;
