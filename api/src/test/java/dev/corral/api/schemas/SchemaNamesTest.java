package dev.corral.api.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.api.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which job names may have a schema, and the keys they are stored under. */
class SchemaNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"email", "send-welcome", "a.b", "a:b", "été", "📧", "a b", "..a"})
  void ordinaryJobNamesAreAccepted(String name) {
    assertNull(SchemaNames.problem(name), name);
    assertEquals(name, SchemaNames.check(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "a\nb", "a\u0000b"})
  void unaddressableOrBadNamesAreRefused(String name) {
    assertNotNull(SchemaNames.problem(name), name);
    ApiException e = assertThrows(ApiException.class, () -> SchemaNames.check(name));
    assertEquals("job_name", e.errors().get(0).field());
  }

  @Test
  void namesUpTo256CharactersAreAccepted() {
    assertNull(SchemaNames.problem("x".repeat(256)));
    assertNotNull(SchemaNames.problem("x".repeat(257)));
  }

  @Test
  void keysLiveUnderThePrefix() {
    assertEquals("bull:corral:schemas", SchemaKeys.defaults().documents());
    assertEquals("{p}:corral:schema-versions", new SchemaKeys("{p}").versions());
    assertThrows(IllegalArgumentException.class, () -> new SchemaKeys(""));
  }

  @Test
  void theLocationIsPercentEncoded() {
    assertEquals("/api/schemas/%C3%A9t%C3%A9%20x", SchemaNames.path("été x"));
    assertEquals("/api/schemas/a%3Fb%23c", SchemaNames.path("a?b#c"));
  }
}
