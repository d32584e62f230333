package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Submissions through the API checked against their job name's schema, over a real socket against the test
 * Redis: jobs, DAG nodes, nothing stored on a violation, and a schema changed through another server instance
 * applying to the next submission here.
 */
@ServerTest
class SchemaValidationIT extends ApiServerTestBase {

  private final SchemaFixtures fixtures = new SchemaFixtures();
  private String queueName;
  private Queue queue;

  SchemaValidationIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    queueName = RedisTestSupport.uniqueQueueName("schema");
    queue = TestServer.client().queue(queueName);
  }

  @AfterEach
  void cleanUp() {
    fixtures.cleanUp();
    TestServer.deleteQueue(queueName);
  }

  private Http.Reply addJob(URI server, String name, String data) {
    return Http.post(server, "/api/queues/" + queueName + "/jobs", "{\"name\":\"" + name + "\",\"data\":" + data + "}");
  }

  private long stored() {
    return queue.getJobCounts().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void aJobNameWithoutSchemaTakesAnyData() {
    assertEquals(201, addJob(uri, fixtures.name("free"), "{\"anything\":[1,\"x\"]}").status());
  }

  @Test
  void aConformingJobIsAdded() {
    String name = fixtures.name("pay");
    assertEquals(201, SchemaFixtures.put(uri, name, SchemaFixtures.PAYMENT).status());

    Http.Reply r = addJob(uri, name, "{\"amount\":12.5,\"currency\":\"EUR\"}");

    assertEquals(201, r.status(), r.body());
    assertEquals(1, stored());
  }

  @Test
  void aViolatingJobIs400ListingEveryViolationAndNothingIsStored() {
    String name = fixtures.name("pay");
    assertEquals(201, SchemaFixtures.put(uri, name, SchemaFixtures.PAYMENT).status());

    Http.Reply r = addJob(uri, name, "{\"amount\":\"ten\",\"colour\":\"red\"}");

    assertEquals(400, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals("invalid_request", body.path("error_type").asText());
    Map<String, String> byPointer = new HashMap<>();
    body.path("errors").forEach(e -> byPointer.put(e.path("pointer").asText(), e.path("field").asText()));
    assertEquals(Map.of("/data/amount", "data.amount", "/data/currency", "data.currency", "/data/colour",
        "data.colour"), byPointer, body.toString());
    assertTrue(body.path("detail").asText().startsWith("3 problems"), body.toString());
    assertEquals(0, stored(), "nothing added");
    Http.Reply withKey = Http.post(uri, "/api/queues/" + queueName + "/jobs",
        "{\"name\":\"" + name + "\",\"data\":{},\"idempotency_key\":\"k-" + UUID.randomUUID() + "\"}");
    assertEquals(400, withKey.status(), withKey.body());
    assertEquals(0, stored(), "nothing added with an idempotency key either");
  }

  @Test
  void aDagWithAViolatingNodeIs400LocatingTheNodeAndNothingIsStored() {
    String pay = fixtures.name("pay");
    assertEquals(201, SchemaFixtures.put(uri, pay, SchemaFixtures.PAYMENT).status());
    String workflow = "wf-" + UUID.randomUUID().toString().substring(0, 8);

    Http.Reply r = Http.post(uri, "/api/executions", """
        {"workflow_id":"%s","nodes":[
          {"id":"extract","queue":"%s","data":{"day":1}},
          {"id":"ok","queue":"%s","job_name":"%s","data":{"amount":1,"currency":"USD"},"depends_on":["extract"]},
          {"id":"charge","queue":"%s","job_name":"%s","data":{"amount":-5,"currency":"EUR"},"depends_on":["ok"]},
          {"id":"empty","queue":"%s","job_name":"%s","depends_on":["ok"]}]}
        """.formatted(workflow, queueName, queueName, pay, queueName, pay, queueName, pay));

    assertEquals(400, r.status(), r.body());
    Map<String, String> nodeByPointer = new HashMap<>();
    r.json().path("errors").forEach(e -> nodeByPointer.put(e.path("pointer").asText(), e.path("node").asText()));
    assertEquals(Map.of("/nodes/2/data/amount", "charge", "/nodes/3/data/amount", "empty",
        "/nodes/3/data/currency", "empty"), nodeByPointer, r.body());
    assertEquals("nodes[2].data.amount", r.json().path("errors").get(0).path("field").asText(), r.body());
    assertEquals(0, stored(), "no node stored");
    JsonNode listed = Http.get(uri, "/api/executions?workflow=" + workflow).json();
    assertEquals(0, listed.path("executions").size(), listed.toString());
  }

  @Test
  void aConformingDagIsSubmitted() {
    String pay = fixtures.name("pay");
    assertEquals(201, SchemaFixtures.put(uri, pay, SchemaFixtures.PAYMENT).status());

    Http.Reply r = Http.post(uri, "/api/executions", """
        {"workflow_id":"wf-ok","nodes":[{"id":"%s","queue":"%s","data":{"amount":0,"currency":"EUR"}}]}
        """.formatted(pay, queueName));

    assertEquals(201, r.status(), "the node id is the job name: " + r.body());
    assertEquals(1, stored());
  }

  @Test
  void aReplacedOrDeletedSchemaAppliesToTheNextSubmission() {
    String name = fixtures.name("pay");
    assertEquals(201, SchemaFixtures.put(uri, name, SchemaFixtures.PAYMENT).status());
    assertEquals(201, addJob(uri, name, "{\"amount\":1,\"currency\":\"EUR\"}").status(), "cached now");

    assertEquals(200, SchemaFixtures.put(uri, name, "{\"required\":[\"order\"]}").status());
    assertEquals(400, addJob(uri, name, "{\"amount\":1,\"currency\":\"EUR\"}").status());
    assertEquals(201, addJob(uri, name, "{\"order\":7}").status());

    assertEquals(200, Http.delete(uri, SchemaFixtures.path(name)).status());
    assertEquals(201, addJob(uri, name, "{\"x\":1}").status());
  }

  @Test
  void aSchemaPutThroughAnotherInstanceAppliesToTheNextSubmissionHere() {
    WebServerConfig.Builder config = WebServer.builder().host("127.0.0.1").port(0);
    TestServer.configure(config);
    WebServer other = config.routing(TestServer::routing).build().start();
    try {
      URI otherUri = URI.create("http://127.0.0.1:" + other.port() + "/");
      String name = fixtures.name("pay");
      assertEquals(201, SchemaFixtures.put(otherUri, name, SchemaFixtures.PAYMENT).status());
      assertEquals(400, addJob(uri, name, "{\"order\":7}").status(), "the other instance's schema applies here");
      assertEquals(201, addJob(uri, name, "{\"amount\":1,\"currency\":\"EUR\"}").status());

      assertEquals(200, SchemaFixtures.put(otherUri, name, "{\"required\":[\"order\"]}").status());
      assertEquals(201, addJob(uri, name, "{\"order\":7}").status(), "the replaced schema applies at once");
      assertEquals(400, addJob(uri, name, "{\"amount\":1,\"currency\":\"EUR\"}").status());

      assertEquals(200, Http.delete(otherUri, SchemaFixtures.path(name)).status());
      assertEquals(201, addJob(uri, name, "{\"amount\":\"any\"}").status(), "deleted there, gone here");
    } finally {
      other.stop();
    }
  }

  @Test
  void manyViolationsAreCapped() {
    String name = fixtures.name("list");
    assertEquals(201, SchemaFixtures.put(uri, name,
        "{\"properties\":{\"xs\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}").status());
    StringBuilder xs = new StringBuilder("[0");
    for (int i = 1; i < 150; i++) {
      xs.append(',').append(i);
    }

    Http.Reply r = addJob(uri, name, "{\"xs\":" + xs + "]}");

    assertEquals(400, r.status());
    assertEquals(101, r.json().path("errors").size());
    assertEquals("50 more schema violations not listed", r.json().path("errors").get(100).path("message").asText());
  }
}
