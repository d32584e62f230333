package dev.corral.broker.scripts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inlines the {@code -- @include "name"} lines of a script, keeping only the definitions of each include that
 * the script uses, directly or through other kept definitions.
 *
 * <p>Why not inline whole files: Redis runs a script's body from the top on every call, so every
 * {@code local function} in it allocates a closure per call. The move-to-finished script with every helper
 * file inlined made about fifty closures per job; measured with callgrind, Redis ran about 5 % fewer
 * instructions per processed job once only the used ones remained (docs/performance.md).
 *
 * <p>An include file is a {@code --[[ ]]} header followed by top-level definitions, each a
 * {@code local function name(} or {@code local name =} line at column 0 with the comment lines right above it
 * and everything up to the next definition. A definition is kept when its name appears as a word in the
 * script or in another kept definition (full-line comments aside), so a name can only be dropped if nothing
 * that remains mentions it. Kept definitions stay in file order, which is the order Lua needs (a local is
 * visible only after its definition). A directive may sit inside a block: its definitions are then made only
 * when the block runs. A file included twice is inlined once; two included files defining one name is an
 * error.
 *
 * <p>Pure text processing; stateless and thread-safe.
 */
final class LuaIncludes {

  private static final Pattern DIRECTIVE = Pattern.compile("(?m)^--\\s*@include\\s+\"([A-Za-z0-9_]+)\"\\s*$");
  private static final Pattern DEFINITION =
      Pattern.compile("^local\\s+(?:function\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(|([A-Za-z_][A-Za-z0-9_]*)\\s*=)");
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One top-level definition of an include file. */
  record Definition(String name, String text) {}

  private LuaIncludes() {}

  /**
   * The script {@code source} with its includes inlined and pruned.
   *
   * @param includeSource the text of an include file by name; throws when there is none
   */
  static String resolve(String source, Function<String, String> includeSource) {
    Map<String, List<Definition>> libraries = new HashMap<>();
    Map<String, Definition> byName = new HashMap<>();
    Matcher m = DIRECTIVE.matcher(source);
    while (m.find()) {
      String library = m.group(1);
      if (libraries.containsKey(library)) {
        continue;
      }
      List<Definition> definitions = parse(library, includeSource.apply(library));
      libraries.put(library, definitions);
      for (Definition d : definitions) {
        Definition clash = byName.putIfAbsent(d.name(), d);
        if (clash != null) {
          throw new IllegalStateException("Lua include \"" + library + "\" defines " + d.name()
              + ", which another included file defines too");
        }
      }
    }
    Set<String> kept = used(DIRECTIVE.matcher(source).replaceAll(""), byName);
    Set<String> inlined = new HashSet<>();
    StringBuilder out = new StringBuilder();
    m = DIRECTIVE.matcher(source);
    while (m.find()) {
      String library = m.group(1);
      StringBuilder text = new StringBuilder();
      if (inlined.add(library)) {
        List<Definition> definitions = libraries.get(library);
        List<Definition> keep = definitions.stream().filter(d -> kept.contains(d.name())).toList();
        text.append("-- include \"").append(library).append("\": ").append(keep.size()).append(" of ")
            .append(definitions.size()).append(" definitions\n");
        keep.forEach(d -> text.append(d.text()));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(text.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The names of the definitions reachable from {@code text}. */
  private static Set<String> used(String text, Map<String, Definition> byName) {
    Set<String> kept = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(words(text));
    while (!todo.isEmpty()) {
      String word = todo.pop();
      Definition d = byName.get(word);
      if (d != null && kept.add(word)) {
        todo.addAll(words(d.text()));
      }
    }
    return kept;
  }

  /** Words of {@code text}, full-line and block comments left out. */
  private static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    boolean inBlockComment = false;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (inBlockComment) {
        inBlockComment = !trimmed.contains("]]");
        continue;
      }
      if (trimmed.startsWith("--[[")) {
        inBlockComment = !trimmed.contains("]]");
        continue;
      }
      if (trimmed.startsWith("--")) {
        continue;
      }
      Matcher w = WORD.matcher(line);
      while (w.find()) {
        words.add(w.group());
      }
    }
    return words;
  }

  /** The definitions of include file {@code library}, in file order. */
  static List<Definition> parse(String library, String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int start = 0;
    if (!lines.isEmpty() && lines.get(0).startsWith("--[[")) {
      while (start < lines.size() && !lines.get(start).contains("]]")) {
        start++;
      }
      start++;
    }
    List<Definition> definitions = new ArrayList<>();
    String name = null;
    List<String> body = new ArrayList<>();
    for (int i = start; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher def = DEFINITION.matcher(line);
      if (def.find()) {
        // the comment and blank lines right above a definition belong to it
        List<String> lead = new ArrayList<>();
        while (!body.isEmpty() && isCommentOrBlank(body.get(body.size() - 1))) {
          lead.add(0, body.remove(body.size() - 1));
        }
        if (name != null) {
          definitions.add(new Definition(name, join(body)));
        }
        name = def.group(1) != null ? def.group(1) : def.group(2);
        body = lead;
        body.add(line);
      } else if (name == null && !isCommentOrBlank(line)) {
        throw new IllegalStateException("Lua include \"" + library + "\" line " + (i + 1)
            + ": statement outside a top-level definition: " + line);
      } else {
        body.add(line);
      }
    }
    if (name != null) {
      definitions.add(new Definition(name, join(body)));
    }
    return definitions;
  }

  private static boolean isCommentOrBlank(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() || trimmed.startsWith("--");
  }

  private static String join(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }
}
