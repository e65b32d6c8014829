package dev.mcpgw.gateway.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin REST API's routing table. Patterns are paths whose {@code {name}} segments match one non-empty segment.
 * {@code GET} routes are open to every authenticated caller; {@code POST} and {@code DELETE} routes change the
 * registry and need an admin caller.
 */
public final class ApiRoutes {

  /** Handles one matched request. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(ApiRequest request) throws IOException;
  }

  record Route(String method, String pattern, String[] segments, boolean adminOnly, Handler handler) {}

  /** A registered route as observability and coverage tests see it: the method and its low-cardinality pattern. */
  public record Endpoint(String method, String pattern) {}

  /** A route matched to a request path. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  public ApiRoutes get(String pattern, Handler handler) {
    return add("GET", pattern, false, handler);
  }

  public ApiRoutes post(String pattern, Handler handler) {
    return add("POST", pattern, true, handler);
  }

  /** A write (admin callers only), like {@code POST}. */
  public ApiRoutes put(String pattern, Handler handler) {
    return add("PUT", pattern, true, handler);
  }

  public ApiRoutes delete(String pattern, Handler handler) {
    return add("DELETE", pattern, true, handler);
  }

  /**
   * A write any authenticated caller may make about what is its own (its credential for an upstream): not limited to
   * admins here, so the handler itself decides what the caller may change.
   */
  public ApiRoutes callerWrite(String method, String pattern, Handler handler) {
    return add(method, pattern, false, handler);
  }

  private ApiRoutes add(String method, String pattern, boolean adminOnly, Handler handler) {
    routes.add(new Route(method, pattern, split(pattern), adminOnly, handler));
    return this;
  }

  /** Every registered route, in registration order. */
  public List<Endpoint> endpoints() {
    return routes.stream().map(r -> new Endpoint(r.method(), r.pattern())).toList();
  }

  /**
   * The pattern of the first route, whatever its method, that matches {@code path} (a span's {@code http.route}), or
   * {@code null}.
   */
  public String template(String path) {
    String[] actual = split(path);
    for (Route r : routes) {
      if (matches(r.segments(), actual)) {
        return r.pattern();
      }
    }
    return null;
  }

  private static boolean matches(String[] pattern, String[] actual) {
    if (pattern.length != actual.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      boolean variable = p.startsWith("{") && p.endsWith("}");
      if (variable ? actual[i].isEmpty() : !p.equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  /** The route for {@code method} and {@code path}; else, if the path is known with other methods, a 405 marker. */
  Optional<Match> match(String method, String path) {
    String[] actual = split(path);
    Match pathOnly = null;
    for (Route r : routes) {
      Map<String, String> params = params(r.segments(), actual);
      if (params != null) {
        if (r.method().equals(method)) {
          return Optional.of(new Match(r, params));
        }
        pathOnly = new Match(null, params);
      }
    }
    return Optional.ofNullable(pathOnly);
  }

  private static Map<String, String> params(String[] pattern, String[] actual) {
    if (pattern.length != actual.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (actual[i].isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), actual[i]);
      } else if (!p.equals(actual[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }
}
