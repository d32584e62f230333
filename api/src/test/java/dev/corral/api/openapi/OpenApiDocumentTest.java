package dev.corral.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.corral.api.auth.AccessPolicy;
import dev.corral.api.auth.Role;
import dev.corral.broker.Corral;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document parses, is well formed for what we use of OpenAPI 3.1, and says for every operation
 * the same thing about security as {@link AccessPolicy}. Pure: no server, no Redis. (That it covers exactly the
 * registered routes is {@code OpenApiRoutesIT}.)
 */
class OpenApiDocumentTest {

  private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
  private static final JsonNode TREE = DOCUMENT.tree();
  private static final List<OpenApiOperations.Operation> OPS = OpenApiOperations.of(TREE);
  private static final AccessPolicy OPEN_HEALTH = AccessPolicy.defaults(false);
  private static final AccessPolicy PROTECTED_HEALTH = AccessPolicy.defaults(true);
  private static final String SAMPLE = "p1";
  /** Error statuses whose body is the route's own, not an ErrorBody. */
  private static final Set<String> OWN_ERROR_BODIES = Set.of("GET /health 503");

  @Test
  void isAnOpenApi31DocumentOfThisVersion() {
    assertTrue(TREE.path("openapi").asText().startsWith("3.1."), TREE.path("openapi").asText());
    assertEquals(Corral.VERSION, TREE.path("info").path("version").asText());
    assertEquals("http", TREE.at("/components/securitySchemes/bearerAuth/type").asText());
    assertEquals("bearer", TREE.at("/components/securitySchemes/bearerAuth/scheme").asText());
    assertTrue(OPS.size() >= 20, "only " + OPS.size() + " operations");
  }

  @Test
  void yamlAndJsonRenderTheSameDocument() throws Exception {
    assertEquals(TREE, new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.yaml()));
    assertEquals(TREE, new ObjectMapper().readTree(DOCUMENT.json()));
  }

  @Test
  void everyReferenceResolves() {
    List<String> broken = new ArrayList<>();
    collectRefs(TREE, broken::add);
    broken.removeIf(ref -> ref.startsWith("#/") && !TREE.at(ref.substring(1)).isMissingNode());
    assertEquals(List.of(), broken, "unresolved or non-local $ref");
  }

  @Test
  void everyOperationHasAUniqueIdASuccessResponseAndErrorBodies() {
    Set<String> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (var op : OPS) {
      String id = op.operation().path("operationId").asText("");
      if (id.isEmpty() || !ids.add(id)) {
        problems.add(op + ": missing or repeated operationId '" + id + "'");
      }
      JsonNode responses = op.operation().path("responses");
      if (!responses.isObject() || responses.isEmpty()) {
        problems.add(op + ": no responses");
        continue;
      }
      if (responses.properties().stream().noneMatch(e -> e.getKey().startsWith("2"))) {
        problems.add(op + ": no 2xx response");
      }
      for (Map.Entry<String, JsonNode> r : responses.properties()) {
        JsonNode response = resolve(r.getValue());
        if (!response.hasNonNull("description")) {
          problems.add(op + " " + r.getKey() + ": no description");
        }
        if (r.getKey().matches("[45]\\d\\d") && !OWN_ERROR_BODIES.contains(op + " " + r.getKey())
            && !"#/components/schemas/ErrorBody".equals(response.at("/content/application~1json/schema/$ref").asText())) {
          problems.add(op + " " + r.getKey() + ": an error response without the ErrorBody schema");
        }
      }
      JsonNode body = op.operation().path("requestBody");
      if (!body.isMissingNode() && !body.path("content").has("application/json")) {
        problems.add(op + ": a request body that is not application/json");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void pathParametersAreExactlyThoseOfThePathTemplate() {
    List<String> problems = new ArrayList<>();
    for (var op : OPS) {
      Set<String> inTemplate = new TreeSet<>();
      Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(op.path());
      while (m.find()) {
        inTemplate.add(m.group(1));
      }
      Set<String> declared = new TreeSet<>();
      List<JsonNode> params = new ArrayList<>();
      op.pathItem().path("parameters").forEach(params::add);
      op.operation().path("parameters").forEach(params::add);
      for (JsonNode p : params) {
        JsonNode param = resolve(p);
        if (param.path("in").asText().equals("path")) {
          declared.add(param.path("name").asText());
          if (!param.path("required").asBoolean()) {
            problems.add(op + ": path parameter " + param.path("name").asText() + " is not required: true");
          }
        }
        if (!param.has("schema")) {
          problems.add(op + ": parameter " + param.path("name").asText() + " has no schema");
        }
      }
      if (!inTemplate.equals(declared)) {
        problems.add(op + ": template parameters " + inTemplate + ", declared " + declared);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void securityAndRolesAgreeWithTheAccessPolicy() {
    List<String> problems = new ArrayList<>();
    for (var op : OPS) {
      String path = op.samplePath(SAMPLE);
      JsonNode security = op.operation().path("security");
      Set<String> roles = new TreeSet<>();
      op.operation().path("x-roles").forEach(r -> roles.add(r.asText()));
      boolean open = OPEN_HEALTH.isPublic(op.method(), path);
      // with CORRAL_PROTECT_HEALTH even the open routes need a token; x-roles lists who may call them then
      Set<String> policyRoles = names(PROTECTED_HEALTH.allowedRoles(op.method(), path));
      if (!open && !policyRoles.equals(names(OPEN_HEALTH.allowedRoles(op.method(), path)))) {
        problems.add(op + ": the policy's roles depend on CORRAL_PROTECT_HEALTH");
      }
      if (!roles.equals(policyRoles)) {
        problems.add(op + ": x-roles " + roles + " but AccessPolicy allows " + policyRoles);
      }
      String expected = open ? "[{},{\"bearerAuth\":[]}]" : "[{\"bearerAuth\":[]}]";
      if (!expected.equals(security.toString())) {
        problems.add(op + ": security " + security + ", expected " + expected
            + (open ? " (open unless CORRAL_PROTECT_HEALTH)" : " (needs a token)"));
      }
      JsonNode responses = op.operation().path("responses");
      if (!responses.has("401")) {
        problems.add(op + ": no 401 response (every route can need a token)");
      }
      if (!open && !responses.has("403") && roles.size() < Role.values().length) {
        problems.add(op + ": no 403 response although some roles may not call it");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void mergingRefusesAPathOrComponentDefinedTwiceAndOtherTopLevelKeys() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode base = (ObjectNode) yaml.readTree("openapi: 3.1.0\npaths:\n  /a: {}\ncomponents:\n  schemas:\n    X: {}\n");
    IllegalStateException path = assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.merge(base.deepCopy(), (ObjectNode) yaml.readTree("paths:\n  /a: {}\n"), "p.yaml"));
    assertEquals("OpenAPI part p.yaml defines paths./a again", path.getMessage());
    IllegalStateException schema = assertThrows(IllegalStateException.class, () -> OpenApiDocument.merge(
        base.deepCopy(), (ObjectNode) yaml.readTree("components:\n  schemas:\n    X: {}\n"), "p.yaml"));
    assertEquals("OpenAPI part p.yaml defines components.schemas.X again", schema.getMessage());
    assertThrows(IllegalStateException.class,
        () -> OpenApiDocument.merge(base.deepCopy(), (ObjectNode) yaml.readTree("info: {}\n"), "p.yaml"));
    ObjectNode merged = base.deepCopy();
    OpenApiDocument.merge(merged, (ObjectNode) yaml.readTree("paths:\n  /b: {}\ncomponents:\n  responses:\n    R: {}\n"),
        "p.yaml");
    assertEquals(List.of("/a", "/b"), List.copyOf(merged.path("paths").propertyStream().map(Map.Entry::getKey).toList()));
    assertTrue(merged.at("/components/responses/R").isObject());
  }

  private static Set<String> names(Set<Role> roles) {
    return roles.stream().map(Role::configName).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The node a {@code $ref} points at, or the node itself. */
  private static JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? TREE.at(node.path("$ref").asText().substring(1)) : node;
  }

  private static void collectRefs(JsonNode node, java.util.function.Consumer<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          out.accept(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
