package dev.corral.api.stats;

import dev.corral.api.errors.MethodNotAllowedException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/statistics}: job counts per state over every queue (and per queue), workers by liveness,
 * DAG executions per status and Redis memory, read at each request by {@link SnapshotReader}. Thread-safe.
 */
public final class StatisticsService implements HttpService {

  private final SnapshotReader snapshots;

  /** The statistics of what {@code snapshots} reads. */
  public StatisticsService(SnapshotReader snapshots) {
    this.snapshots = snapshots;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::get)
        .any("/", MethodNotAllowedException.handler("GET"));
  }

  private void get(ServerRequest req, ServerResponse res) {
    res.send(StatisticsView.of(snapshots.read()));
  }
}
