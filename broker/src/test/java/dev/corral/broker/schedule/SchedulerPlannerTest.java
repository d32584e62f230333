package dev.corral.broker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.RepeatOptions;
import dev.corral.broker.support.Json;
import org.junit.jupiter.api.Test;

/** {@link SchedulerPlanner}: bullmq's client-side decisions, without Redis. */
class SchedulerPlannerTest {

  private static final long NOW = 1_795_314_988_360L;

  @Test
  void theFirstIterationOfAnEverySchedulerLeavesTheTimeToTheScript() {
    SchedulerPlanner.Plan plan = SchedulerPlanner.first("s", RepeatOptions.every(1000).limit(3).offset(200)
        .build(), Json.MAPPER.createObjectNode().put("attempts", 2), NOW).orElseThrow();
    assertEquals(null, plan.nextMillis());
    assertEquals("{\"attempts\":2,\"repeat\":{\"every\":1000,\"limit\":3,\"offset\":200,"
        + "\"count\":1},\"timestamp\":" + NOW + ",\"repeatJobKey\":\"s\"}", plan.opts().toString());
  }

  @Test
  void theNextIterationCountsAndStopsAtTheLimitOrEndDate() {
    JsonNode opts = Json.parseLenient("{\"repeat\":{\"pattern\":\"*/5 * * * * *\",\"tz\":\"UTC\",\"limit\":3,"
        + "\"count\":2},\"prevMillis\":1795314990000,\"jobId\":\"repeat:p:1795314990000\",\"delay\":5,"
        + "\"timestamp\":1}");
    SchedulerPlanner.Plan next = SchedulerPlanner.next("p", opts, 1795314990004L).orElseThrow();
    assertEquals(1795314995000L, next.nextMillis());
    assertEquals(3, next.opts().path("repeat").path("count").asInt());
    assertEquals(0, next.opts().path("attempts").asInt());
    assertFalse(next.opts().has("jobId"));
    assertFalse(next.opts().has("delay"));
    assertTrue(SchedulerPlanner.next("p", next.opts(), 1795314995004L).isEmpty(), "count 3 of limit 3");
    JsonNode ended = Json.parseLenient("{\"repeat\":{\"every\":1000,\"endDate\":" + (NOW - 1) + "}}");
    assertTrue(SchedulerPlanner.next("e", ended, NOW).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> SchedulerPlanner.next("x",
        Json.parseLenient("{\"repeat\":{}}"), NOW));
  }
}
