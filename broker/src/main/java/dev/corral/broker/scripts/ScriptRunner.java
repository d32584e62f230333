package dev.corral.broker.scripts;

import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;

/**
 * The only class that runs Lua on Redis. Every script gets KEYS[1] = the queue base key and string ARGV,
 * and returns a Lua table, decoded as a {@code List<Object>} of {@code String}, {@code Long} and nested
 * lists. Uses EVALSHA and loads the script on NOSCRIPT (a restarted or flushed server).
 *
 * <p>Thread-safe.
 */
public final class ScriptRunner {

  private final RScript script;
  private final ScriptRegistry registry;

  /** A runner over {@code client}, with string codec for arguments and replies. */
  public ScriptRunner(RedissonClient client) {
    this.script = client.getScript(StringCodec.INSTANCE);
    this.registry = ScriptRegistry.load();
  }

  /**
   * Runs {@code command} for the queue whose base key is {@code baseKey}.
   *
   * @return the script's reply table
   */
  public List<Object> run(Command command, String baseKey, Object... args) {
    LuaScript lua = registry.get(command);
    List<Object> keys = List.of(baseKey);
    try {
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha1(), RScript.ReturnType.LIST, keys, args);
    } catch (RedisNoScriptException e) {
      script.scriptLoad(lua.source());
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha1(), RScript.ReturnType.LIST, keys, args);
    }
  }
}
