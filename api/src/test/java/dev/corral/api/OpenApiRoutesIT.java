package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.corral.api.openapi.OpenApiDocument;
import dev.corral.api.openapi.OpenApiOperations;
import dev.corral.broker.testing.RedisTestSupport;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document names exactly the routes {@link Main#routing} registers (read by {@link RouteRecorder}),
 * every documented operation reaches a handler on the real server, and {@code GET /openapi} serves the document
 * without a token, as YAML or JSON.
 */
@ServerTest
class OpenApiRoutesIT extends ApiServerTestBase {

  private static final JsonNode DOCUMENT = OpenApiDocument.load().tree();
  private static final String PROBE = RedisTestSupport.uniqueQueueName("openapi-probe");

  OpenApiRoutesIT(URI uri) {
    super(uri);
  }

  @AfterAll
  static void cleanUp() {
    TestServer.deleteQueue(PROBE);
  }

  private static Set<String> registered() {
    RouteRecorder recorder = RouteRecorder.record(r -> Main.routing(r, ApiDeps.of(TestServer.client())));
    return recorder.routes().stream().map(RouteRecorder.Route::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> documented() {
    return OpenApiOperations.of(DOCUMENT).stream().map(Object::toString)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyRegisteredRouteIsDocumentedAndEveryDocumentedOperationIsRegistered() {
    Set<String> registered = registered();
    Set<String> documented = documented();
    Set<String> undocumented = new TreeSet<>(registered);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(registered);
    assertEquals(Set.of(), undocumented, "routes registered in Main.routing but missing from the OpenAPI document "
        + "(api/src/main/resources/openapi/*.yaml): add them there, with x-roles as in AccessPolicy");
    assertEquals(Set.of(), unknown, "operations in the OpenAPI document that no route registers");
    assertTrue(registered.contains("GET /openapi"), registered.toString());
  }

  @Test
  void everyCatchAllPathAlsoHasARouteWithAMethod() {
    RouteRecorder recorder = RouteRecorder.record(r -> Main.routing(r, ApiDeps.of(TestServer.client())));
    Set<String> paths = recorder.routes().stream().map(RouteRecorder.Route::path).collect(Collectors.toSet());
    Set<String> anyOnly = new TreeSet<>(recorder.anyPaths());
    anyOnly.removeAll(paths);
    assertEquals(Set.of(), anyOnly, "any(...) is for the 405 handlers; a path with only any(...) cannot be documented");
  }

  @Test
  void everyDocumentedOperationReachesAHandler() {
    List<String> unrouted = new ArrayList<>();
    for (var op : OpenApiOperations.of(DOCUMENT)) {
      String path = op.path().replace("{queue}", PROBE).replace("{pid}", "7").replaceAll("\\{[^}/]+}", "probe-1");
      if (isEventStream(op.method(), op.path())) {
        path += "?probe=1"; // an unknown parameter: the route answers 400 at once instead of opening a stream
      }
      Http.Reply reply = Http.request(uri, op.method(), path, Http.ADMIN_TOKEN, null, null);
      boolean noRoute = reply.status() == 404 && reply.body().contains("no route for");
      if (noRoute || reply.status() == 405 || reply.status() >= 500) {
        unrouted.add(op + " -> " + reply.status() + " " + reply.body());
      }
    }
    assertEquals(List.of(), unrouted);
  }

  /** Whether the operation answers 200 with an endless {@code text/event-stream}. */
  private static boolean isEventStream(String method, String path) {
    String pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase(java.util.Locale.ROOT)
        + "/responses/200/content/text~1event-stream";
    return !DOCUMENT.at(pointer).isMissingNode();
  }

  @Test
  void servesTheDocumentAsYamlWithoutAToken() throws Exception {
    Http.Reply reply = Http.request(uri, "GET", "/openapi", null, null, null);
    assertEquals(200, reply.status(), reply.body());
    assertTrue(reply.contentType().startsWith("application/yaml"), reply.contentType());
    assertEquals(DOCUMENT, new ObjectMapper(new YAMLFactory()).readTree(reply.body()));
    assertTrue(reply.body().startsWith("openapi: 3.1.0"), reply.body().substring(0, 40));
  }

  @Test
  void servesJsonForFormatJsonOrAnAcceptHeaderPreferringJson() throws Exception {
    Http.Reply byParam = Http.request(uri, "GET", "/openapi?format=json", null, null, null);
    assertEquals(200, byParam.status());
    assertTrue(byParam.contentType().startsWith("application/json"), byParam.contentType());
    assertEquals(DOCUMENT, new ObjectMapper().readTree(byParam.body()));

    var client = java.net.http.HttpClient.newHttpClient();
    var accept = client.send(java.net.http.HttpRequest.newBuilder(uri.resolve("/openapi"))
        .header("Accept", "application/json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, accept.statusCode());
    assertTrue(accept.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    var yamlFirst = client.send(java.net.http.HttpRequest.newBuilder(uri.resolve("/openapi"))
        .header("Accept", "application/yaml, application/json;q=0.5").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertTrue(yamlFirst.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
    var forced = client.send(java.net.http.HttpRequest.newBuilder(uri.resolve("/openapi?format=yaml"))
        .header("Accept", "application/json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertTrue(forced.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
  }

  @Test
  void refusesAnUnknownFormatAndOtherMethods() {
    Http.Reply xml = Http.request(uri, "GET", "/openapi?format=xml", null, null, null);
    assertEquals(400, xml.status());
    assertEquals("invalid_request", xml.json().path("error_type").asText(), xml.body());
    assertEquals("format", xml.json().path("errors").path(0).path("field").asText());
    Http.Reply post = Http.request(uri, "POST", "/openapi", Http.ADMIN_TOKEN, null, null);
    assertEquals(405, post.status());
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    assertFalse(post.body().contains("openapi: 3.1.0"));
  }
}
