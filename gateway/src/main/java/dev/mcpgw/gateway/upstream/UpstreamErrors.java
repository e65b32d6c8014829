package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.upstream.UpstreamException.Kind;
import java.time.Duration;

/**
 * The failures every transport reports, worded the same way. Messages name the upstream and never quote headers,
 * environment values or bodies, which may carry credentials.
 */
final class UpstreamErrors {
  private UpstreamErrors() {}

  static UpstreamException timeout(String upstream, String method, Duration timeout) {
    return new UpstreamException(upstream, Kind.TIMEOUT,
        "upstream '" + upstream + "' did not answer " + method + " within " + format(timeout));
  }

  static UpstreamException unavailable(String upstream, String what, Throwable cause) {
    return new UpstreamException(upstream, Kind.UNAVAILABLE, "upstream '" + upstream + "' " + what, null, cause);
  }

  static UpstreamException unavailable(String upstream, String what) {
    return unavailable(upstream, what, null);
  }

  static UpstreamException protocol(String upstream, String what) {
    return new UpstreamException(upstream, Kind.PROTOCOL, "upstream '" + upstream + "' " + what);
  }

  static UpstreamException rpcError(String upstream, String method, JsonNode error) {
    String message = error.path("message").asText("");
    return new UpstreamException(upstream, Kind.RPC_ERROR, "upstream '" + upstream + "' answered " + method
        + " with error " + error.path("code").asText("?") + (message.isEmpty() ? "" : ": " + message), error, null);
  }

  static UpstreamException circuitOpen(String upstream, int failures, Duration openFor) {
    return new UpstreamException(upstream, Kind.CIRCUIT_OPEN, "upstream '" + upstream
        + "' is not called: its circuit breaker opened after " + failures + " failures and stays open for "
        + format(openFor));
  }

  /** A copy of {@code e} for another caller: every waiting request gets its own exception and stack. */
  static UpstreamException copy(UpstreamException e) {
    return new UpstreamException(e.upstream(), e.kind(), e.getMessage(), e.rpcError(), e.getCause());
  }

  /** The cause's type and message for an error text: transports' messages hold hosts and paths, not credentials. */
  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** {@code 5s}, {@code 1500ms}, {@code 2m}: how people write timeouts in configuration. */
  static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s % 60 == 0 && s > 0 ? (s / 60) + "m" : s + "s";
  }
}
