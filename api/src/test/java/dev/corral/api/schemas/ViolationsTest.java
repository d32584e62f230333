package dev.corral.api.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pointer and field spelling of validation errors. */
class ViolationsTest {

  @Test
  void pointersEscapeTildeAndSlash() {
    assertEquals("/data/a~1b/c~0d/0", Violations.pointer("/data", List.of("a/b", "c~d", 0)));
    assertEquals("", Violations.pointer("", List.of()));
  }

  @Test
  void fieldsUseDotsForNamesAndBracketsForIndexes() {
    assertEquals("data.items[2].amount", Violations.field("data", List.of("items", 2, "amount")));
    assertEquals("nodes[3].data", Violations.field("nodes[3].data", List.of()));
    assertEquals("properties.a", Violations.field("", List.of("properties", "a")));
    assertEquals("body", Violations.field("", List.of()));
  }
}
