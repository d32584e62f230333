package dev.corral.api;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the routes a routing set-up registers (in practice {@link Main#routing}) by running it against a recording
 * {@link HttpRouting.Builder}: every {@code register(prefix, services)} runs the services' own
 * {@code routing(HttpRules)} with the prefix, and every {@code get/post/put/delete/patch/head/options/trace(path,
 * ...)} or {@code route(Method, path, ...)} is one route. {@code any(path, ...)} (the 405 handlers) is recorded
 * apart. Filters and error handlers are ignored. Any other call fails, naming itself, because the recorder cannot
 * tell which route it adds: then extend this class rather than let a route go unseen.
 */
final class RouteRecorder {

  /** One registered route: an upper-case method and a path template such as {@code /api/queues/{queue}}. */
  record Route(String method, String path) implements Comparable<Route> {
    @Override
    public int compareTo(Route o) {
      int c = path.compareTo(o.path);
      return c != 0 ? c : method.compareTo(o.method);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options",
      "trace");
  private static final Set<String> IGNORED = Set.of("addFilter", "error", "addFeature", "security");

  private final Set<Route> routes = new TreeSet<>();
  private final Set<String> anyPaths = new TreeSet<>();

  private RouteRecorder() {}

  /** Runs {@code setup} on a recording builder and returns the recorder with what it registered. */
  static RouteRecorder record(Consumer<HttpRouting.Builder> setup) {
    RouteRecorder recorder = new RouteRecorder();
    setup.accept(recorder.rules(""));
    return recorder;
  }

  /** The routes with a method, sorted by path then method. */
  Set<Route> routes() {
    return routes;
  }

  /** The paths registered with {@code any(...)}. */
  Set<String> anyPaths() {
    return anyPaths;
  }

  private HttpRouting.Builder rules(String prefix) {
    InvocationHandler handler = (proxy, method, args) -> {
      String name = method.getName();
      Object[] a = args == null ? new Object[0] : args;
      if (method.getDeclaringClass() == Object.class) {
        return switch (name) {
          case "toString" -> "RouteRecorder(" + prefix + ")";
          case "hashCode" -> System.identityHashCode(proxy);
          default -> proxy == a[0];
        };
      }
      if (METHODS.contains(name) || name.equals("any")) {
        if (a.length == 0 || !(a[0] instanceof String path)) {
          throw unknown(method, prefix);
        }
        if (name.equals("any")) {
          anyPaths.add(join(prefix, path));
        } else {
          routes.add(new Route(name.toUpperCase(Locale.ROOT), join(prefix, path)));
        }
      } else if (name.equals("route") && a.length >= 2 && a[0] instanceof Method m && a[1] instanceof String path) {
        routes.add(new Route(m.text(), join(prefix, path)));
      } else if (name.equals("register")) {
        String sub = a.length > 0 && a[0] instanceof String s ? join(prefix, s) : prefix;
        for (HttpService service : services(a)) {
          service.routing(rules(sub));
        }
      } else if (!IGNORED.contains(name)) {
        throw unknown(method, prefix);
      }
      return proxy;
    };
    return (HttpRouting.Builder) Proxy.newProxyInstance(RouteRecorder.class.getClassLoader(),
        new Class<?>[] {HttpRouting.Builder.class}, handler);
  }

  private static List<HttpService> services(Object[] args) {
    List<HttpService> out = new ArrayList<>();
    for (Object arg : args) {
      addServices(arg, out);
    }
    return out;
  }

  private static void addServices(Object arg, List<HttpService> out) {
    if (arg instanceof HttpService s) {
      out.add(s);
    } else if (arg instanceof Supplier<?> s) {
      addServices(s.get(), out);
    } else if (arg instanceof Object[] array) {
      for (Object o : array) {
        addServices(o, out);
      }
    } else if (arg instanceof Collection<?> list) {
      list.forEach(o -> addServices(o, out));
    } else if (!(arg instanceof String)) {
      throw new IllegalStateException("RouteRecorder: cannot read register(...) argument " + arg);
    }
  }

  private static IllegalStateException unknown(java.lang.reflect.Method method, String prefix) {
    return new IllegalStateException("RouteRecorder cannot tell which route " + method.getName()
        + java.util.Arrays.toString(method.getParameterTypes()) + " under '" + prefix + "' adds; register routes "
        + "with get/post/put/delete/patch(path, handler) or extend RouteRecorder");
  }

  /** {@code prefix + path} with one {@code /} between and no trailing {@code /} (except for the root). */
  static String join(String prefix, String path) {
    String joined = (prefix + "/" + path).replaceAll("/+", "/");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }
}
