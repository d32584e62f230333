package dev.corral.broker.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads every {@link Command}'s Lua file from the classpath once, inlining {@code -- @include "name"} lines
 * with {@code lua/includes/<name>.lua}. Fails fast: a missing file or include is an error at load time.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class ScriptRegistry {

  /** Classpath folder of the scripts. */
  public static final String BASE = "/dev/corral/broker/lua/";

  private static final Pattern INCLUDE = Pattern.compile("(?m)^--\\s*@include\\s+\"([A-Za-z0-9_]+)\"\\s*$");
  private static final ScriptRegistry DEFAULT = new ScriptRegistry();

  private final Map<Command, LuaScript> scripts = new EnumMap<>(Command.class);

  private ScriptRegistry() {
    for (Command command : Command.values()) {
      String source = resolveIncludes(read(BASE + command.fileName()), new HashSet<>());
      scripts.put(command, LuaScript.of(command.scriptName(), command.numberOfKeys(), source));
    }
  }

  /** The shared registry (scripts are loaded once per JVM). */
  public static ScriptRegistry load() {
    return DEFAULT;
  }

  /** The script of {@code command}. */
  public LuaScript get(Command command) {
    return scripts.get(command);
  }

  private static String resolveIncludes(String source, Set<String> seen) {
    Matcher m = INCLUDE.matcher(source);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement = "";
      if (seen.add(name)) {
        replacement = resolveIncludes(read(BASE + "includes/" + name + ".lua"), seen);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String path) {
    try (InputStream in = ScriptRegistry.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "Lua script " + path + " is missing from the classpath; every Command needs a file "
                + "src/main/resources" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + path, e);
    }
  }
}
