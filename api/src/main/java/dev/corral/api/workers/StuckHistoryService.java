package dev.corral.api.workers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.errors.MethodNotAllowedException;
import dev.corral.api.requests.Params;
import dev.corral.broker.workers.StuckHistory;
import dev.corral.broker.workers.StuckSummary;
import dev.corral.broker.workers.WorkerJson;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/stuck-history?hours=24&workflow=}: stuck events per workflow (or per queue and job name for
 * jobs outside a workflow) over the last {@code hours} (1..720): count, last time and count per reason.
 * {@code workflow} keeps the groups of that workflow id or job name.
 *
 * <p>Thread-safe.
 */
public final class StuckHistoryService implements HttpService {

  /** Most hours one request covers (30 days). */
  public static final int MAX_HOURS = 720;

  private final StuckHistory history;

  /** The route over {@code history}. */
  public StuckHistoryService(StuckHistory history) {
    this.history = history;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::summaries)
        .any("/", MethodNotAllowedException.handler("GET"));
  }

  private void summaries(ServerRequest req, ServerResponse res) {
    int hours = Params.number("hours", req.query().first("hours").orElse(null), 24, 1, MAX_HOURS);
    String workflow = req.query().first("workflow").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    List<StuckSummary> all = history.summaries(hours);
    ArrayNode groups = WorkerJson.MAPPER.createArrayNode();
    for (StuckSummary s : all) {
      if (workflow != null && !workflow.equals(s.workflowId()) && !workflow.equals(s.jobName())) {
        continue;
      }
      ObjectNode g = groups.addObject();
      g.put("workflow_id", s.workflowId());
      g.put("queue", s.queue());
      g.put("job_name", s.jobName());
      g.put("count", s.count());
      g.put("last_at", s.lastAt());
      Map<String, Long> reasons = new TreeMap<>();
      s.reasons().forEach((r, n) -> reasons.put(r.wireName(), n));
      g.set("reasons", WorkerJson.MAPPER.valueToTree(reasons));
    }
    ObjectNode out = WorkerJson.MAPPER.createObjectNode();
    out.put("hours", hours);
    if (workflow != null) {
      out.put("workflow", workflow);
    }
    out.set("groups", groups);
    res.send(out);
  }
}
