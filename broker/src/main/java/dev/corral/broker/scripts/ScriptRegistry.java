package dev.corral.broker.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Loads every {@link Command}'s Lua file from the classpath once, inlining {@code -- @include "name"} lines
 * with the definitions of {@code lua/includes/<name>.lua} the script uses ({@link LuaIncludes}). Fails fast: a
 * missing file or include is an error at load time.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class ScriptRegistry {

  /** Classpath folder of the scripts. */
  public static final String BASE = "/dev/corral/broker/lua/";

  private static final ScriptRegistry DEFAULT = new ScriptRegistry();

  private final Map<Command, LuaScript> scripts = new EnumMap<>(Command.class);

  private ScriptRegistry() {
    for (Command command : Command.values()) {
      String source = LuaIncludes.resolve(read(BASE + command.fileName()),
          name -> read(BASE + "includes/" + name + ".lua"));
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
