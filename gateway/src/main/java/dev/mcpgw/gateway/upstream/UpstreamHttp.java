package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing the HTTP transports share: requests carrying the upstream's configured headers (credentials,
 * never logged) and a request's own headers, sent by {@link Http1Client} on the calling (virtual) thread, with
 * failures turned into {@link UpstreamException}s.
 */
final class UpstreamHttp {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamHttp.class);
  /** Headers the transport sets itself or the JDK refuses; a configured value for them is dropped with a warning. */
  private static final Set<String> RESERVED = Set.of("connection", "content-length", "expect", "host", "upgrade",
      "content-type", "accept", "mcp-session-id", "mcp-protocol-version", "last-event-id");
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final String upstream;
  private final Http1Client client;
  private final Map<String, String> headers;
  private final Duration connectTimeout;
  private final DrainingStreams draining;

  UpstreamHttp(String upstream, Http1Client client, Map<String, String> configuredHeaders, Duration connectTimeout,
      DrainingStreams draining) {
    this.upstream = upstream;
    this.client = client;
    this.connectTimeout = connectTimeout;
    this.draining = draining;
    this.headers = usable(upstream, configuredHeaders);
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  /** A request to {@code uri} with the configured headers and then {@code extra} (which win on a clash). */
  UpstreamRequest request(URI uri, Map<String, String> extra) {
    UpstreamRequest r = new UpstreamRequest(uri);
    headers.forEach(r::header);
    if (!extra.isEmpty()) {
      usable(upstream, extra).forEach(r::header);
    }
    return r;
  }

  /**
   * Sends {@code request}, waiting for the status line and headers; the body is left to the caller. Completing
   * {@code abandon} exceptionally (a timeout, a cancelled call, a closed session), or at all before the head came,
   * abandons the exchange and closes its connection.
   */
  UpstreamResponse send(UpstreamRequest request, String what, CompletableFuture<?> abandon) {
    return send(request, what, abandon, null);
  }

  /** Like {@link #send(UpstreamRequest, String, CompletableFuture)}, and the head must come within {@code timeout}. */
  UpstreamResponse send(UpstreamRequest request, String what, CompletableFuture<?> abandon, Duration timeout) {
    Http1Exchange exchange = new Http1Exchange(client.pool());
    java.util.concurrent.atomic.AtomicBoolean head = new java.util.concurrent.atomic.AtomicBoolean();
    if (abandon != null) {
      abandon.whenComplete((r, e) -> {
        if (e != null || !head.get()) {
          exchange.abandon();
        }
      });
    }
    try {
      UpstreamResponse response = client.send(request, exchange,
          timeout == null ? 0 : System.nanoTime() + timeout.toNanos());
      head.set(true);
      return response;
    } catch (IOException | RuntimeException e) {
      boolean gaveUp = exchange.abandoned(); // the failure is the abandonment's doing
      exchange.abandon();
      throw gaveUp ? abandoned(what) : failure(what, e, timeout);
    }
  }

  /**
   * Sends {@code request} on a virtual thread of its own: the future completes with the response (status and
   * headers; the body is left to the caller) or fails with an {@link UpstreamException}. {@code abandon} failing (a
   * timeout, a cancelled call, a closed session) abandons the exchange; its normal completion leaves the response to
   * arrive and be read.
   */
  CompletableFuture<UpstreamResponse> sendAsync(UpstreamRequest request, String what, CompletableFuture<?> abandon) {
    CompletableFuture<UpstreamResponse> outcome = new CompletableFuture<>();
    Thread.ofVirtual().name("mcpgw-post-" + upstream).start(() -> {
      Http1Exchange exchange = new Http1Exchange(client.pool());
      abandon.whenComplete((r, e) -> {
        if (e != null) {
          exchange.abandon();
        }
      });
      try {
        outcome.complete(client.send(request, exchange, 0));
      } catch (IOException | RuntimeException e) {
        boolean gaveUp = exchange.abandoned();
        exchange.abandon();
        outcome.completeExceptionally(gaveUp ? abandoned(what) : failure(what, e, null));
      }
    });
    return outcome;
  }

  /** Like {@link #send} but gives up after {@code timeout}, failing with {@code TIMEOUT}. */
  UpstreamResponse send(UpstreamRequest request, String what, Duration timeout) {
    return send(request, what, null, timeout);
  }

  /** The exchange was cancelled: its call ended (timeout, cancellation, closed session) before the answer came. */
  private UpstreamException abandoned(String what) {
    return UpstreamErrors.unavailable(upstream, "did not receive " + what + ": abandoned");
  }

  private UpstreamException failure(String what, Exception cause, Duration timeout) {
    if (cause instanceof SocketTimeoutException) {
      return timeout != null ? UpstreamErrors.timeout(upstream, what, timeout)
          : new UpstreamException(upstream, UpstreamException.Kind.TIMEOUT, "upstream '" + upstream
              + "' did not answer " + what + " in time (" + UpstreamErrors.describe(cause) + ")", null, cause);
    }
    if (cause instanceof IOException) {
      return UpstreamErrors.unavailable(upstream, "is unreachable for " + what + ": " + UpstreamErrors.describe(cause),
          cause);
    }
    return UpstreamErrors.unavailable(upstream, "did not receive " + what + ": " + UpstreamErrors.describe(cause),
        cause);
  }

  /**
   * The error for an HTTP error status: unreachable for 5xx, 408 and 429 (worth retrying later), refused for 401 and
   * 403, a protocol error otherwise. The body is not quoted: it may echo what we sent.
   */
  UpstreamException statusError(String what, int status) {
    if (status >= 500 || status == 408 || status == 429) {
      return UpstreamErrors.unavailable(upstream, "answered " + what + " with HTTP " + status);
    }
    if (status == 401 || status == 403) {
      return UpstreamErrors.unavailable(upstream, "refused " + what + " with HTTP " + status
          + " (check the credentials configured in its headers)");
    }
    return UpstreamErrors.protocol(upstream, "answered " + what + " with HTTP " + status);
  }

  /** An error body that is a JSON-RPC message (servers answer bad requests that way), else {@code null}. */
  static JsonNode jsonRpcBody(UpstreamResponse response) {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
      JsonNode node = MessageJson.MAPPER.readTree(bytes);
      return node != null && node.isObject() && node.has("jsonrpc") ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static boolean isEventStream(UpstreamResponse response) {
    return contentType(response).startsWith("text/event-stream");
  }

  static boolean isJson(UpstreamResponse response) {
    return contentType(response).startsWith("application/json");
  }

  static String contentType(UpstreamResponse response) {
    return java.util.Objects.requireNonNullElse(response.header("Content-Type"), "").toLowerCase(Locale.ROOT).trim();
  }

  /** Throws the body away: read to its end if that is already here (the connection is then reused), else cut. */
  static void discard(UpstreamResponse response) {
    closeQuietly(response.body());
  }

  /** Leaves {@code in} to end by itself, cutting it after a grace period; see {@link DrainingStreams}. */
  void closeLater(InputStream in) {
    draining.drain(in);
  }

  /** Closes {@code in}, which its reader is done with (ended, or cut). */
  void closeRead(InputStream in) {
    draining.ended(in);
    closeQuietly(in);
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // nothing left to do with a stream we are throwing away
    }
  }

  /** Waits up to {@code millis} or until {@code done} completes, whichever is first. */
  static void pause(CompletableFuture<?> done, long millis) {
    try {
      done.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
      // either way the pause is over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> usable(String upstream, Map<String, String> candidate) {
    Map<String, String> ok = new java.util.LinkedHashMap<>();
    candidate.forEach((name, value) -> {
      if (name == null || value == null || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
        LOG.warn("upstream '{}': header '{}' is set by the transport itself; the configured value is ignored",
            upstream, name);
      } else if (!validName(name) || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        LOG.warn("upstream '{}': header '{}' is not a valid HTTP header; ignored", upstream, name);
      } else {
        ok.put(name, value);
      }
    });
    return Map.copyOf(ok);
  }

  private static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
