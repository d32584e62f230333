package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.auth.Role;
import dev.corral.api.schemas.SchemaCompiler;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema routes over a real socket against the test Redis: CRUD, refused documents, names and roles. */
@ServerTest
class SchemasServiceIT extends ApiServerTestBase {

  private final SchemaFixtures fixtures = new SchemaFixtures();

  SchemasServiceIT(URI uri) {
    super(uri);
  }

  @AfterEach
  void cleanUp() {
    fixtures.cleanUp();
  }

  @Test
  void putGetListReplaceAndDelete() {
    String name = fixtures.name("pay");
    String path = SchemaFixtures.path(name);

    Http.Reply created = SchemaFixtures.put(uri, name, SchemaFixtures.PAYMENT);
    assertEquals(201, created.status(), created.body());
    assertTrue(created.json().path("created").asBoolean());
    assertEquals(path, created.headers().firstValue("Location").orElse(""));
    assertEquals(SchemaCompiler.DRAFT_2020_12, created.json().path("dialect").asText());
    String version = created.json().path("version").asText();
    assertEquals(64, version.length(), version);

    Http.Reply same = SchemaFixtures.put(uri, name, SchemaFixtures.PAYMENT);
    assertEquals(200, same.status(), same.body());
    assertFalse(same.json().path("created").asBoolean());
    assertEquals(version, same.json().path("version").asText(), "equal documents, equal versions");

    Http.Reply got = Http.get(uri, path);
    assertEquals(200, got.status(), got.body());
    assertEquals(name, got.json().path("job_name").asText());
    assertEquals(SchemaFixtures.tree(SchemaFixtures.PAYMENT), got.json().path("schema"));
    assertEquals("\"" + version + "\"", got.headers().firstValue("ETag").orElse(""));
    assertTrue(got.json().path("updated_at").asLong() > 0);

    JsonNode listed = find(Http.get(uri, "/api/schemas").json(), name);
    assertEquals(version, listed.path("version").asText(), listed.toString());
    assertFalse(listed.has("schema"), "the list has no documents");
    assertFalse(listed.has("created"));

    Http.Reply replaced = SchemaFixtures.put(uri, name, "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}");
    assertEquals(200, replaced.status(), replaced.body());
    assertNotEquals(version, replaced.json().path("version").asText());
    assertEquals(SchemaCompiler.DRAFT_7, Http.get(uri, path).json().path("dialect").asText());

    Http.Reply deleted = Http.delete(uri, path);
    assertEquals(200, deleted.status(), deleted.body());
    assertTrue(deleted.json().path("deleted").asBoolean());
    assertEquals(404, Http.get(uri, path).status());
    Http.Reply again = Http.delete(uri, path);
    assertEquals(404, again.status(), again.body());
    assertEquals("not_found", again.json().path("error_type").asText());
    assertTrue(find(Http.get(uri, "/api/schemas").json(), name).isMissingNode());
  }

  @Test
  void anInvalidSchemaIs400NamingEveryProblemAndIsNotStored() {
    String name = fixtures.name("bad");

    Http.Reply r = SchemaFixtures.put(uri, name, "{\"type\":\"nubmer\",\"minLength\":-1}");

    assertEquals(400, r.status(), r.body());
    assertEquals("invalid_request", r.json().path("error_type").asText());
    List<String> pointers = new ArrayList<>();
    r.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
    assertTrue(pointers.contains("/type") && pointers.contains("/minLength"), r.body());
    assertEquals(404, Http.get(uri, SchemaFixtures.path(name)).status(), "nothing stored");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[1]", "true", "{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}",
      "{\"$ref\":\"https://example.com/other.json\"}", "{\"$ref\":\"#/$defs/none\"}",
      "{\"pattern\":\"(\"}"})
  void refusedDocumentsAre400(String body) {
    String name = fixtures.name("refused");

    Http.Reply r = SchemaFixtures.put(uri, name, body);

    assertEquals(400, r.status(), body + " -> " + r.body());
    assertTrue(r.json().path("errors").isArray(), r.body());
    assertEquals(404, Http.get(uri, SchemaFixtures.path(name)).status());
  }

  @Test
  void unicodeJobNamesWork() {
    String name = fixtures.name("paiement-été-📧 x");

    assertEquals(201, SchemaFixtures.put(uri, name, "{\"type\":\"object\"}").status());

    Http.Reply got = Http.get(uri, SchemaFixtures.path(name));
    assertEquals(200, got.status(), got.body());
    assertEquals(name, got.json().path("job_name").asText());
    assertFalse(find(Http.get(uri, "/api/schemas").json(), name).isMissingNode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/schemas/%2e%2e", "/api/schemas/a%2Fb", "/api/schemas/a%0Ab"})
  void unaddressableNamesAre400(String path) {
    Http.Reply r = Http.request(uri, "PUT", path, Http.ADMIN_TOKEN, "application/json", "{}");

    assertEquals(400, r.status(), r.body());
  }

  @Test
  void aTooLongNameIs400() {
    Http.Reply r = SchemaFixtures.put(uri, "n".repeat(257), "{}");

    assertEquals(400, r.status(), r.body());
    assertEquals("job_name", r.json().path("errors").get(0).path("field").asText());
  }

  @Test
  void onlyAdminsChangeSchemasAndEveryRoleReadsThem() {
    String name = fixtures.name("roles");
    String path = SchemaFixtures.path(name);
    assertEquals(201, SchemaFixtures.put(uri, name, "{}").status());

    for (Role role : List.of(Role.OPERATOR, Role.SUBMITTER, Role.WORKER)) {
      String token = TestServer.token(role);
      assertEquals(403, Http.request(uri, "PUT", path, token, "application/json", "{}").status(), role.toString());
      assertEquals(403, Http.request(uri, "DELETE", path, token, null, null).status(), role.toString());
      assertEquals(200, Http.request(uri, "GET", path, token, null, null).status(), role.toString());
      assertEquals(200, Http.request(uri, "GET", "/api/schemas", token, null, null).status(), role.toString());
    }
    assertEquals(401, Http.request(uri, "GET", path, null, null, null).status());
    assertEquals(200, Http.get(uri, path).status(), "still there");
  }

  @Test
  void otherMethodsAre405() {
    assertEquals(405, Http.request(uri, "POST", "/api/schemas/x", Http.ADMIN_TOKEN, null, null).status());
    assertEquals(405, Http.request(uri, "PUT", "/api/schemas", Http.ADMIN_TOKEN, null, null).status());
  }

  private static JsonNode find(JsonNode page, String name) {
    for (JsonNode s : page.path("schemas")) {
      if (s.path("job_name").asText().equals(name)) {
        return s;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
