package dev.corral.broker.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.broker.scripts.LuaIncludes.Definition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LuaIncludesTest {

  private static final String HELPERS = """
      --[[
        Helpers. Mentions unused() in the header, which keeps nothing.
      ]]

      local LIMIT = 10

      -- adds one
      local function inc(n)
        return n + 1
      end

      -- uses inc and LIMIT
      local function capped(n)
        -- a comment naming unused() keeps nothing either
        if inc(n) > LIMIT then
          return LIMIT
        end
        return inc(n)
      end

      local function unused()
        return 0
      end
      """;

  private static String resolve(String script, Map<String, String> includes) {
    return LuaIncludes.resolve(script, name -> {
      String text = includes.get(name);
      if (text == null) {
        throw new IllegalStateException("no include " + name);
      }
      return text;
    });
  }

  @Test
  void definitionsAreSplitWithTheCommentsAboveThem() {
    List<Definition> defs = LuaIncludes.parse("helpers", HELPERS);
    assertEquals(List.of("LIMIT", "inc", "capped", "unused"), defs.stream().map(Definition::name).toList());
    assertTrue(defs.get(1).text().strip().startsWith("-- adds one\nlocal function inc(n)"), defs.get(1).text());
    assertFalse(defs.get(0).text().contains("adds one"));
  }

  @Test
  void onlyWhatTheScriptReachesIsInlinedInFileOrder() {
    String out = resolve("""
        local x = 1
        -- @include "helpers"
        return capped(x)
        """, Map.of("helpers", HELPERS));
    assertTrue(out.contains("-- include \"helpers\": 3 of 4 definitions"), out);
    assertTrue(out.indexOf("local LIMIT") < out.indexOf("local function inc")
        && out.indexOf("local function inc") < out.indexOf("local function capped"), out);
    assertFalse(out.contains("local function unused"), out);
    assertFalse(out.contains("@include"), out);
  }

  @Test
  void aNameUsedOnlyInACommentOfTheScriptIncludesNothing() {
    String out = resolve("""
        -- capped() would be nice here
        -- @include "helpers"
        return 1
        """, Map.of("helpers", HELPERS));
    assertTrue(out.contains("-- include \"helpers\": 0 of 4 definitions"), out);
    assertFalse(out.contains("local function"), out);
  }

  @Test
  void definitionsNeededByAnotherIncludeAreKeptAndAFileIsInlinedOnce() {
    String other = """
        --[[ needs helpers ]]
        local function twice(n)
          return inc(inc(n))
        end
        """;
    String out = resolve("""
        -- @include "helpers"
        -- @include "other"
        -- @include "helpers"
        return twice(1)
        """, Map.of("helpers", HELPERS, "other", other));
    assertTrue(out.contains("local function inc"), out);
    assertFalse(out.contains("local function capped"), out);
    assertEquals(1, out.split("local function inc\\(", -1).length - 1, out);
    assertEquals(1, out.split("-- include \"helpers\"", -1).length - 1, out);
  }

  @Test
  void anIncludeInsideABlockIsInlinedThere() {
    String out = resolve("""
        if ARGV[1] == "1" then
        -- @include "helpers"
          return inc(1)
        end
        return 0
        """, Map.of("helpers", HELPERS));
    assertTrue(out.indexOf("if ARGV[1]") < out.indexOf("local function inc"), out);
  }

  @Test
  void twoIncludesDefiningOneNameAndStrayStatementsAreErrors() {
    String clash = "local function inc(n)\n  return n\nend\n";
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> resolve(
        "-- @include \"helpers\"\n-- @include \"clash\"\nreturn inc(1)\n",
        Map.of("helpers", HELPERS, "clash", clash)));
    assertTrue(e.getMessage().contains("inc"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> LuaIncludes.parse("bad", "redis.call(\"PING\")\n"));
    assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void everyRealScriptResolvesAndKeepsItsCallsDefined() {
    ScriptRegistry registry = ScriptRegistry.load();
    for (Command c : Command.values()) {
      String source = registry.get(c).source();
      assertFalse(source.contains("@include"), c + " still has a directive");
    }
    String finish = registry.get(Command.MOVE_TO_FINISHED).source();
    assertTrue(finish.contains("local function fetchNextJob"), "moveToFinished keeps what it calls");
    assertFalse(finish.contains("local function jobState"), "moveToFinished does not need jobState");
  }
}
