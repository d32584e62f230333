package dev.corral.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.Job;
import dev.corral.sdk.UnrecoverableJobException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPlanTest {

  private static Job job(String opts, int attemptsMade) {
    return Job.fromHash("1", Map.of("name", "n", "data", "{}", "opts", opts, "atm", String.valueOf(attemptsMade)));
  }

  private static RetryPlan decide(String opts, int attemptsMade, Throwable error) {
    return RetryPlan.decide(job(opts, attemptsMade), error, null, () -> 0.5);
  }

  @Test
  void noAttemptsLeftFailsForGood() {
    assertEquals(RetryPlan.Kind.FAIL, decide("{\"attempts\":0}", 0, new RuntimeException()).kind());
    assertEquals(RetryPlan.Kind.FAIL, decide("{\"attempts\":1}", 0, new RuntimeException()).kind());
    assertEquals(RetryPlan.Kind.FAIL, decide("{\"attempts\":3}", 2, new RuntimeException()).kind());
  }

  @Test
  void reachingMaxStartedAttemptsStopsRetriesWhateverAttemptsAreLeft() {
    Job startedTwice = Job.fromHash("1", Map.of("name", "n", "data", "{}", "opts", "{\"attempts\":5}", "atm", "1",
        "ats", "2"));
    RuntimeException error = new RuntimeException();
    assertEquals(RetryPlan.Kind.FAIL, RetryPlan.decide(startedTwice, error, null, () -> 0.5, 2).kind());
    assertEquals(RetryPlan.Kind.FAIL, RetryPlan.decide(startedTwice, error, null, () -> 0.5, 1).kind());
    assertEquals(RetryPlan.Kind.RETRY_NOW, RetryPlan.decide(startedTwice, error, null, () -> 0.5, 3).kind());
    assertEquals(RetryPlan.Kind.RETRY_NOW, RetryPlan.decide(startedTwice, error, null, () -> 0.5, 0).kind());
  }

  @Test
  void withoutBackoffARetryIsImmediate() {
    assertEquals(RetryPlan.Kind.RETRY_NOW, decide("{\"attempts\":3}", 0, new RuntimeException()).kind());
  }

  @Test
  void exponentialBackoffDoublesPerAttempt() {
    String opts = "{\"attempts\":5,\"backoff\":{\"type\":\"exponential\",\"delay\":1000}}";
    assertEquals(1000, decide(opts, 0, new RuntimeException()).delayMs());
    assertEquals(2000, decide(opts, 1, new RuntimeException()).delayMs());
    assertEquals(4000, decide(opts, 2, new RuntimeException()).delayMs());
    assertEquals(RetryPlan.Kind.RETRY_DELAYED, decide(opts, 2, new RuntimeException()).kind());
  }

  @Test
  void fixedAndBareNumberBackoffs() {
    assertEquals(500, decide("{\"attempts\":2,\"backoff\":{\"type\":\"fixed\",\"delay\":500}}", 0,
        new RuntimeException()).delayMs());
    assertEquals(250, decide("{\"attempts\":2,\"backoff\":250}", 0, new RuntimeException()).delayMs());
  }

  @Test
  void jitterDrawsBetweenTheReducedAndTheFullDelay() {
    // random 0.5, jitter 0.5, max 2000 (second attempt): 0.5 * 2000 * 0.5 + 2000 * 0.5 = 1500
    assertEquals(1500, decide("{\"attempts\":5,\"backoff\":{\"type\":\"exponential\",\"delay\":1000,\"jitter\":0.5}}",
        1, new RuntimeException()).delayMs());
    assertEquals(750, RetryPlan.fixed(1000, 0.5, () -> 0.5));
  }

  @Test
  void anUnrecoverableErrorNeverRetries() {
    assertEquals(RetryPlan.Kind.FAIL, decide("{\"attempts\":5}", 0, new UnrecoverableJobException("x")).kind());
  }

  @Test
  void anUnknownBackoffTypeWithoutAStrategyFailsWithBullmqsMessage() {
    RetryPlan plan = decide("{\"attempts\":5,\"backoff\":{\"type\":\"linear\",\"delay\":10}}", 0,
        new RuntimeException());
    assertEquals(RetryPlan.Kind.FAIL, plan.kind());
    assertTrue(plan.failureOverride().startsWith("Unknown backoff strategy linear"), plan.failureOverride());
    RetryPlan custom = RetryPlan.decide(job("{\"attempts\":5,\"backoff\":{\"type\":\"linear\",\"delay\":10}}", 1),
        new RuntimeException(), (made, type, delay, error, j) -> made * delay, () -> 0);
    assertEquals(20, custom.delayMs());
  }
}
