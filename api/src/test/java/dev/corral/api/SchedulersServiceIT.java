package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.broker.Job;
import dev.corral.broker.Queue;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job scheduler routes over a real socket: what a PUT stores is bullmq's scheduler, read back by the broker. */
@ServerTest
class SchedulersServiceIT extends ApiServerTestBase {

  private String name;
  private Queue queue;

  SchedulersServiceIT(URI uri) {
    super(uri);
  }

  @BeforeEach
  void newQueue() {
    name = RedisTestSupport.uniqueQueueName("apisched");
    queue = TestServer.client().queue(name);
  }

  @AfterEach
  void deleteQueue() {
    TestServer.deleteQueue(name);
  }

  private Http.Reply put(String id, String body, Role role) {
    return Http.request(uri, "PUT", "/api/queues/" + name + "/schedulers/" + id, TestServer.token(role),
        "application/json", body);
  }

  @Test
  void anEverySchedulerIsStoredWithItsFirstIterationAndListed() {
    Http.Reply reply = put("poll", "{\"repeat\":{\"every\":60000,\"limit\":5}}", Role.SUBMITTER);

    assertEquals(200, reply.status(), reply.body());
    JsonNode body = reply.json();
    String next = body.path("next_job_id").asText();
    assertTrue(next.startsWith("repeat:poll:"), body.toString());
    assertEquals("poll", body.path("scheduler").path("id").asText());
    assertEquals(60000, body.path("scheduler").path("every").asLong());
    assertEquals(5, body.path("scheduler").path("limit").asLong());
    Job iteration = queue.getJob(next).orElseThrow();
    assertEquals("poll", iteration.name());
    assertEquals("poll", iteration.raw().get("rjk"));
    assertEquals(queue.schedulers().getJobScheduler("poll").orElseThrow().next(),
        body.path("scheduler").path("next").asLong());

    JsonNode one = Http.get(uri, "/api/queues/" + name + "/schedulers/poll").json();
    assertEquals(60000, one.path("every").asLong(), one.toString());
    JsonNode list = Http.get(uri, "/api/queues/" + name + "/schedulers").json();
    assertEquals(1, list.path("total").asLong(), list.toString());
    assertEquals("poll", list.path("schedulers").get(0).path("id").asText());
  }

  @Test
  void aPatternSchedulerKeepsItsTemplate() {
    Http.Reply reply = put("digest", """
        {"repeat":{"pattern":"0 30 7 * * mon-fri","tz":"Europe/Berlin"},
         "template":{"name":"send-digest","data":{"list":"weekly"},"options":{"attempts":3}}}""", Role.ADMIN);

    assertEquals(200, reply.status(), reply.body());
    JsonNode scheduler = reply.json().path("scheduler");
    assertEquals("send-digest", scheduler.path("name").asText());
    assertEquals("0 30 7 * * mon-fri", scheduler.path("pattern").asText());
    assertEquals("Europe/Berlin", scheduler.path("tz").asText());
    assertEquals("weekly", scheduler.path("template_data").path("list").asText(), scheduler.toString());
    Job iteration = queue.getJob(reply.json().path("next_job_id").asText()).orElseThrow();
    assertEquals("send-digest", iteration.name());
    assertEquals(3, iteration.attempts());
    assertEquals("weekly", iteration.data().path("list").asText());
  }

  @Test
  void badBodiesAre400NamingTheFieldAndStoreNothing() {
    String[][] cases = {
        {"{}", "repeat"},
        {"{\"repeat\":{\"every\":1000,\"pattern\":\"* * * * *\"}}", "repeat"},
        {"{\"repeat\":{\"pattern\":\"61 * * * *\"}}", "repeat"},
        {"{\"repeat\":{\"every\":0}}", "repeat.every"},
        {"{\"repeat\":{\"every\":1000,\"tz\":\"Mars/Olympus\"}}", "repeat"},
        {"{\"repeat\":{\"every\":1000,\"end_date\":1000}}", "repeat.end_date"},
        {"{\"repeat\":{\"every\":1000},\"template\":{\"options\":{\"job_id\":\"x\"}}}", "template.options.job_id"},
        {"{\"repeat\":{\"every\":1000},\"template\":{\"options\":{\"delay\":5}}}", "template.options.delay"},
        {"{\"repeat\":{\"every\":1000},\"colour\":\"red\"}", "colour"},
    };
    for (String[] c : cases) {
      Http.Reply reply = put("bad", c[0], Role.ADMIN);
      assertEquals(400, reply.status(), c[0] + " -> " + reply.body());
      assertTrue(reply.body().contains(c[1]), c[0] + " names " + c[1] + ": " + reply.body());
    }
    assertEquals(404, Http.get(uri, "/api/queues/" + name + "/schedulers/bad").status());
    assertEquals(0, queue.schedulers().getJobSchedulersCount());
  }

  @Test
  void removingStopsTheScheduleAndTheRolesAreEnforced() {
    assertEquals(200, put("tick", "{\"repeat\":{\"every\":60000}}", Role.SUBMITTER).status());
    assertEquals(403, put("tick", "{\"repeat\":{\"every\":60000}}", Role.OPERATOR).status());
    assertEquals(403, Http.request(uri, "DELETE", "/api/queues/" + name + "/schedulers/tick",
        TestServer.token(Role.SUBMITTER), null, null).status());

    Http.Reply removed = Http.request(uri, "DELETE", "/api/queues/" + name + "/schedulers/tick",
        TestServer.token(Role.OPERATOR), null, null);

    assertEquals(200, removed.status(), removed.body());
    assertTrue(removed.json().path("removed").asBoolean());
    assertFalse(queue.schedulers().getJobScheduler("tick").isPresent());
    assertEquals(404, Http.get(uri, "/api/queues/" + name + "/schedulers/tick").status());
    assertEquals(404, Http.delete(uri, "/api/queues/" + name + "/schedulers/tick").status());
  }
}
