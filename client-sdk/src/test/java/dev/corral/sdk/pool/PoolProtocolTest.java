package dev.corral.sdk.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Job;
import dev.corral.broker.support.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolProtocolTest {

  private static Job job() {
    return Job.fromHash("7", Map.of("name", "resize", "data", "{\"w\":10,\"text\":\"a\\nb\"}",
        "opts", "{\"attempts\":3}", "timestamp", "1700000000000", "atm", "1"));
  }

  @Test
  void theJobLineIsOneLineWithTheJobFields() throws Exception {
    String line = PoolProtocol.encode(new PoolProtocol.JobLine(job(), "images", null, null, Map.of(), Map.of()));
    assertTrue(!line.contains("\n"), line);
    JsonNode o = Json.MAPPER.readTree(line);
    assertEquals("job", o.get("type").asText());
    assertEquals("7", o.get("id").asText());
    assertEquals("resize", o.get("name").asText());
    assertEquals("a\nb", o.get("data").get("text").asText());
    assertEquals(3, o.get("opts").get("attempts").asInt());
    assertEquals("images", o.get("queue").asText());
    assertEquals(1, o.get("attemptsMade").asInt());
    assertEquals(1700000000000L, o.get("timestamp").asLong());
    assertNull(o.get("dependencies"));
  }

  @Test
  void aDagNodeGetsItsDependencies() throws Exception {
    String line = PoolProtocol.encode(new PoolProtocol.JobLine(job(), "q", "exec1", "b",
        Map.of("a", Json.MAPPER.readTree("{\"n\":1}")), Map.of("c", "boom")));
    JsonNode o = Json.MAPPER.readTree(line);
    assertEquals("exec1", o.get("executionId").asText());
    assertEquals("b", o.get("node").asText());
    assertEquals(1, o.get("dependencies").get("a").get("n").asInt());
    assertEquals("boom", o.get("dependencyFailures").get("c").asText());
  }

  @Test
  void messagesAreDecoded() {
    assertEquals(new ChildOutput.Ready(1), PoolProtocol.decode("{\"type\":\"ready\",\"protocol\":1}"));
    assertEquals(new ChildOutput.Ready(1), PoolProtocol.decode("{\"type\":\"ready\"}"));
    assertEquals(new ChildOutput.Ready(2), PoolProtocol.decode("{\"type\":\"ready\",\"protocol\":2}"));
    assertEquals(50, ((ChildOutput.Progress) PoolProtocol.decode("{\"type\":\"progress\",\"value\":50}")).value().asInt());
    assertEquals(new ChildOutput.Log("hi"), PoolProtocol.decode("  {\"type\":\"log\",\"line\":\"hi\"}\r"));
    assertEquals("{\"a\":1}", ((ChildOutput.Result) PoolProtocol.decode("{\"type\":\"result\",\"value\":{\"a\":1}}"))
        .value().toString());
    assertTrue(((ChildOutput.Result) PoolProtocol.decode("{\"type\":\"result\"}")).value().isNull());
    assertEquals(new ChildOutput.Failure("boom", true, "Error: boom\n at x"),
        PoolProtocol.decode("{\"type\":\"error\",\"message\":\"boom\",\"unrecoverable\":true,\"stack\":\"Error: boom\\n at x\"}"));
    assertEquals(new ChildOutput.Failure("the pool process reported an error without a message", false, null),
        PoolProtocol.decode("{\"type\":\"error\"}"));
    assertNull(PoolProtocol.decode("   "));
  }

  @Test
  void invalidLinesNameTheProblemAndQuoteTheLine() {
    assertProblem("hello world", "a line that is not a JSON message: 'hello world'");
    assertProblem("{\"type\":\"result\",\"value\":", "invalid JSON (");
    assertProblem("[1,2]", "a line that is not a JSON message");
    assertProblem("{\"value\":1}", "a message without a string \"type\"");
    assertProblem("{\"type\":\"dance\"}", "unknown message type 'dance'");
    assertProblem("{\"type\":\"progress\"}", "a progress message without a \"value\"");
    assertProblem("{\"type\":\"log\",\"line\":3}", "a log message without a string \"line\"");
    assertProblem("{\"type\":\"ready\",\"protocol\":\"one\"}", "\"protocol\" is not an integer");
    String longGarbage = "x".repeat(500);
    String problem = ((ChildOutput.Invalid) PoolProtocol.decode(longGarbage)).problem();
    assertTrue(problem.contains("x".repeat(200) + "...'"), problem);
    assertTrue(problem.length() < 400, problem);
  }

  private static void assertProblem(String line, String expected) {
    ChildOutput out = PoolProtocol.decode(line);
    assertInstanceOf(ChildOutput.Invalid.class, out, line);
    String problem = ((ChildOutput.Invalid) out).problem();
    assertTrue(problem.contains(expected), problem);
  }
}
