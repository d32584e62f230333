package dev.corral.sdk.pool;

import static dev.corral.sdk.pool.PoolTestSupport.WAIT;
import static dev.corral.sdk.pool.PoolTestSupport.awaitDead;
import static dev.corral.sdk.pool.PoolTestSupport.awaitProcess;
import static dev.corral.sdk.pool.PoolTestSupport.data;
import static dev.corral.sdk.pool.PoolTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.workers.ProcessState;
import dev.corral.sdk.UnrecoverableJobException;
import dev.corral.sdk.internal.Failures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Children that break the protocol, fail to start or report errors: each attempt fails with a clear reason, the
 * worker's thread never hangs, and the next job runs in a sound process.
 */
class PoolProtocolErrorsIT {

  private final PoolTestSupport support = new PoolTestSupport();

  @AfterEach
  void close() {
    support.closeAll();
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return e.getCause();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "garbage line  | {\"garbage\":\"hello there\"}  | PROTOCOL | a line that is not a JSON message: 'hello there'",
      "invalid JSON  | {\"invalidJson\":true}        | PROTOCOL | invalid JSON (",
      "unknown type  | {\"unknownType\":\"dance\"}    | PROTOCOL | unknown message type 'dance'",
      "stdout closed | {\"closeStdout\":true}        | PROTOCOL | closed its stdout while running job",
      "exit mid-job  | {\"progress\":[1],\"crash\":0} | CRASHED  | exited with code 0 while running job"})
  void aProtocolErrorFailsTheJobClearlyAndTheNextJobRunsInAFreshProcess(String name, String data,
      PoolJobException.Reason reason, String expected) throws Exception {
    assertFailsThenRecovers(support.pool(node().maxProcesses(1)), data, reason, expected);
  }

  @Test
  void aLineLongerThanMaxLineCharsIsAProtocolError() throws Exception {
    assertFailsThenRecovers(support.pool(node().maxProcesses(1).maxLineChars(1024)),
        data("garbage", "x".repeat(5_000)), PoolJobException.Reason.PROTOCOL,
        "a line longer than maxLineChars (1024 characters): 'xxxx");
  }

  private void assertFailsThenRecovers(PoolProcessor pool, String data, PoolJobException.Reason reason,
      String expected) throws Exception {
    FakeJobContext ctx = support.ctx(data);
    long start = System.nanoTime();
    PoolJobException e = assertInstanceOf(PoolJobException.class, failure(support.submit(pool, ctx)));

    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("job " + ctx.job().id()), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "no hang");
    Matcher pid = Pattern.compile("pool process pid (\\d+)").matcher(e.getMessage());
    assertTrue(pid.find(), e.getMessage());
    long failed = Long.parseLong(pid.group(1));
    awaitDead(failed);
    assertNotEquals(failed, pool.process(support.ctx("{}")).get("pid").asLong(), "the next job runs in a new process");
  }

  @Test
  void aChildErrorFailsTheJobWithItsMessageAndStackAndKeepsTheProcess() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    long pid = pool.process(support.ctx("{}")).get("pid").asLong();
    PoolJobException e = assertThrows(PoolJobException.class,
        () -> pool.process(support.ctx(data("error", "bad input", "stack", "Error: bad input\n    at run (child.js:1)"))));

    assertEquals(PoolJobException.Reason.CHILD_ERROR, e.reason());
    assertEquals("bad input", e.getMessage());
    assertEquals("Error: bad input\n    at run (child.js:1)", Failures.stackOf(e), "the child's stack is stored");
    assertEquals(pid, pool.process(support.ctx("{}")).get("pid").asLong(), "an error leaves the process usable");
  }

  @Test
  void anUnrecoverableChildErrorIsAnUnrecoverableJobException() {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    UnrecoverableJobException e = assertThrows(UnrecoverableJobException.class,
        () -> pool.process(support.ctx(data("error", "account closed", "unrecoverable", true))));
    assertEquals("account closed", e.getMessage());
  }

  @Test
  void aChildWritingAfterItsResultIsReplacedButItsJobCompletes() throws Exception {
    PoolProcessor pool = support.pool(node().maxProcesses(1));
    long pid = pool.process(support.ctx(data("writeAfterResult", true, "sleepMs", 0))).get("pid").asLong();
    Thread.sleep(100);
    assertNotEquals(pid, pool.process(support.ctx("{}")).get("pid").asLong());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "exit      | exited with code 2 before it was ready; stderr: cannot start: missing config",
      "silent    | did not write its ready line within startTimeout (500 ms)",
      "garbage   | wrote a line that is not a JSON message: 'hello, I am not JSON'",
      "protocol2 | speaks protocol 2, this pool speaks 1"})
  void aChildThatCannotStartFailsTheJobWithTheReason(String mode, String expected) {
    PoolProcessor pool = support.pool(node().maxProcesses(1).startTimeout(Duration.ofMillis(500))
        .environment("CHILD_START", mode));
    PoolJobException e = assertThrows(PoolJobException.class, () -> pool.process(support.ctx("{}")));
    assertEquals(PoolJobException.Reason.START_FAILED, e.reason());
    assertTrue(e.getMessage().startsWith("pool process pid "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(List.of(), pool.processes());
  }

  @Test
  void aProgramThatDoesNotExistFailsTheJob() {
    PoolProcessor pool = support.pool(ProcessPoolOptions.builder("/no/such/program-corral").maxProcesses(1));
    PoolJobException e = assertThrows(PoolJobException.class, () -> pool.process(support.ctx("{}")));
    assertEquals(PoolJobException.Reason.START_FAILED, e.reason());
    assertTrue(e.getMessage().startsWith("could not start pool process [/no/such/program-corral]: "), e.getMessage());
  }

  @Test
  void aChildInAnotherLanguageWorksAndATimeoutKillsItsDescendantsToo() throws Exception {
    PoolProcessor pool = support.pool(ProcessPoolOptions.builder("bash", PoolTestSupport.script("child.sh").toString())
        .maxProcesses(1).jobTimeout(Duration.ofMillis(1_000)).maintenanceInterval(Duration.ofMillis(50)));
    FakeJobContext ok = support.ctx("{\"n\":1}");
    JsonNode length = pool.process(ok);
    assertTrue(length.asInt() > 20, length.toString());
    assertEquals(List.of("bash got " + length.asInt() + " chars"), ok.logs);

    Future<JsonNode> slow = support.submit(pool, support.ctx(data("sleep", true)));
    long bash = awaitProcess(pool, ProcessState.BUSY, "a busy process").pid();
    long sleep = dev.corral.broker.testing.Await.until(WAIT, () -> ProcessHandle.of(bash)
        .flatMap(h -> h.children().findFirst()).map(ProcessHandle::pid).orElse(null), "bash's sleep");
    PoolJobException e = assertInstanceOf(PoolJobException.class, failure(slow));
    assertEquals(PoolJobException.Reason.TIMEOUT, e.reason());
    awaitDead(bash);
    awaitDead(sleep);
  }
}
