package dev.corral.api.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.api.errors.ApiException;
import dev.corral.api.errors.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checking and compiling schema documents, and validating data with them; no Redis. */
class SchemaCompilerTest {

  private static final SchemaCompiler COMPILER = new SchemaCompiler();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PAYMENT = """
      {"type":"object","required":["amount","currency"],"additionalProperties":false,
       "properties":{"amount":{"type":"number","minimum":0},"currency":{"enum":["EUR","USD"]},
         "items":{"type":"array","items":{"$ref":"#/$defs/item"}}},
       "$defs":{"item":{"type":"object","required":["sku"],"properties":{"sku":{"type":"string"}}}}}""";

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<FieldError> problems(String schema) {
    ApiException e = assertThrows(ApiException.class, () -> COMPILER.check("j", json(schema), "v"));
    assertEquals(400, e.status().code());
    return e.errors();
  }

  @Test
  void aValidSchemaCompilesAndReportsEveryViolationWithItsPointer() {
    JobSchema schema = COMPILER.check("pay", json(PAYMENT), "v1");

    assertEquals(List.of(), schema.violations(json("{\"amount\":3,\"currency\":\"EUR\"}"), Violations.Base.JOB_DATA));
    List<FieldError> v = schema.violations(json("""
        {"amount":"ten","colour":"red","items":[{"sku":"a"},{"sku":7}]}"""), Violations.Base.JOB_DATA);
    assertEquals(List.of("/data/amount", "/data/colour", "/data/currency", "/data/items/1/sku"),
        v.stream().map(FieldError::pointer).sorted().toList(), v.toString());
    assertTrue(v.stream().anyMatch(e -> e.field().equals("data.items[1].sku")), v.toString());
    assertTrue(v.stream().allMatch(e -> e.message() != null && !e.message().isBlank()), v.toString());
  }

  @Test
  void nodeDataIsLocatedUnderItsNode() {
    JobSchema schema = COMPILER.check("pay", json(PAYMENT), "v1");

    FieldError e = schema.violations(json("{\"amount\":-1,\"currency\":\"EUR\"}"), Violations.Base.nodeData(3, "charge"))
        .get(0);

    assertEquals("/nodes/3/data/amount", e.pointer());
    assertEquals("nodes[3].data.amount", e.field());
    assertEquals("charge", e.node());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",",
      "\"$schema\":\"http://json-schema.org/draft-07/schema#\",", "\"$schema\":\"http://json-schema.org/draft-07/schema\","})
  void bothDialectsAreAccepted(String declaration) {
    JobSchema schema = COMPILER.check("j", json("{" + declaration + "\"type\":\"object\",\"required\":[\"a\"]}"), "v");

    assertEquals(1, schema.violations(json("{}"), Violations.Base.JOB_DATA).size());
  }

  @Test
  void theDialectDefaultsTo2020_12AndIsNamedCanonically() {
    assertEquals(SchemaCompiler.DRAFT_2020_12, SchemaCompiler.dialect(json("{}")));
    assertEquals(SchemaCompiler.DRAFT_7, SchemaCompiler.dialect(json("{\"$schema\":\"http://json-schema.org/draft-07/schema\"}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://json-schema.org/draft-04/schema#", "https://json-schema.org/draft/2019-09/schema",
      "https://example.com/my-dialect"})
  void otherDialectsAreRefused(String dialect) {
    List<FieldError> problems = problems("{\"$schema\":\"" + dialect + "\"}");

    assertEquals("/$schema", problems.get(0).pointer());
    assertTrue(problems.get(0).message().contains("unsupported $schema"), problems.toString());
  }

  @Test
  void aDocumentThatBreaksTheMetaSchemaIsRefusedWithPointersIntoIt() {
    List<FieldError> problems = problems("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"nubmer\"}},"
        + "\"required\":\"amount\"}");

    String pointers = problems.stream().map(FieldError::pointer).collect(Collectors.joining(" "));
    assertTrue(pointers.contains("/properties/amount/type"), pointers);
    assertTrue(pointers.contains("/required"), pointers);
  }

  @Test
  void draft07IsCheckedAgainstItsOwnMetaSchema() {
    List<FieldError> problems = problems("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"minimum\":\"0\"}");

    assertEquals("/minimum", problems.get(0).pointer(), problems.toString());
  }

  @Test
  void anUnresolvableLocalRefIsRefused() {
    List<FieldError> problems = problems("{\"properties\":{\"a\":{\"$ref\":\"#/$defs/missing\"}}}");

    assertEquals("body", problems.get(0).field());
    assertTrue(problems.get(0).message().contains("does not compile"), problems.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/schemas/item.json", "file:///etc/passwd",
      "classpath:draft/2020-12/schema", "item.json#/x"})
  void refsOutsideTheDocumentAreRefused(String ref) {
    List<FieldError> problems = problems("{\"properties\":{\"a\":{\"$ref\":\"" + ref + "\"}}}");

    assertTrue(problems.get(0).message().contains("points outside the schema document"), problems.toString());
  }

  @Test
  void aRemoteRefIsNeverFetched() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(300);
      List<FieldError> problems = problems("{\"$ref\":\"http://127.0.0.1:" + server.getLocalPort() + "/s.json\"}");

      assertTrue(problems.get(0).message().contains("points outside"), problems.toString());
      assertThrows(SocketTimeoutException.class, server::accept, "the validator connected to the $ref's host");
    }
  }

  @Test
  void anIdDeclaredInTheDocumentResolvesLocally() {
    JobSchema schema = COMPILER.check("j", json("""
        {"$id":"https://example.com/order","type":"object","properties":{"item":{"$ref":"https://example.com/item"}},
         "$defs":{"item":{"$id":"https://example.com/item","type":"string"}}}"""), "v");

    assertEquals("/data/item", schema.violations(json("{\"item\":1}"), Violations.Base.JOB_DATA).get(0).pointer());
  }

  @Test
  void aBadRegularExpressionIsRefused() {
    List<FieldError> problems = problems("{\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"(unclosed\"}}}");

    assertEquals(1, problems.size(), problems.toString());
    assertEquals("pattern '(unclosed' is not a valid regular expression: Unclosed group at index 9",
        problems.get(0).message());
  }
}
