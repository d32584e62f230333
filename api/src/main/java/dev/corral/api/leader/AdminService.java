package dev.corral.api.leader;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Bodies;
import dev.corral.api.requests.Problems;
import dev.corral.api.requests.Requests;
import dev.corral.broker.lease.LeaderLease;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/admin} (admin role only): {@code GET /leader} tells who leads, {@code POST /recovery/run} runs one
 * recovery pass now, or with {@code {"dry_run":true}} reports what it would change without changing anything.
 *
 * <p>Thread-safe.
 */
public final class AdminService implements HttpService {

  private final LeaderLease lease;
  private final Recovery recovery;

  /** The routes over this instance's {@code lease} and {@code recovery}. */
  public AdminService(LeaderLease lease, Recovery recovery) {
    this.lease = lease;
    this.recovery = recovery;
  }

  /**
   * The body of {@code GET /api/admin/leader}.
   *
   * @param leaderId the instance holding the lease, or null when none does
   * @param instanceId this instance
   * @param isLeader whether this instance leads
   * @param expiresInMs milliseconds until the lease expires unless renewed (null without a leader)
   * @param acquiredAt when this instance became the leader (ms since the epoch; null when it does not lead)
   * @param ttlMs the lease TTL
   * @param renewPeriodMs how often the lease is renewed (and tried by the others)
   */
  public record LeaderView(String leaderId, String instanceId, boolean isLeader, Long expiresInMs, Long acquiredAt,
      long ttlMs, long renewPeriodMs) {}

  @Override
  public void routing(HttpRules rules) {
    rules.get("/leader", this::leader)
        .post("/recovery/run", this::recover)
        .any("/leader", MethodNotAllowedException.handler("GET"))
        .any("/recovery/run", MethodNotAllowedException.handler("POST"));
  }

  private void leader(ServerRequest req, ServerResponse res) {
    Optional<LeaderLease.Holder> holder = lease.holder();
    long acquired = lease.acquiredAt();
    boolean leads = lease.isLeader();
    res.send(new LeaderView(holder.map(LeaderLease.Holder::instanceId).orElse(null), lease.instanceId(), leads,
        holder.map(LeaderLease.Holder::expiresInMs).orElse(null), leads && acquired > 0 ? acquired : null,
        lease.options().ttl().toMillis(), lease.options().renewPeriod().toMillis()));
  }

  private void recover(ServerRequest req, ServerResponse res) {
    byte[] body = Requests.body(req);
    boolean dryRun = false;
    if (body.length > 0) {
      JsonNode json = Bodies.object(body);
      Problems problems = new Problems();
      problems.unknownFields(json, "", Set.of("dry_run"), null);
      Boolean d = problems.bool(json, "", "dry_run", null);
      problems.throwIfAny();
      dryRun = d != null && d;
    }
    res.send(recovery.run(dryRun));
  }
}
