package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05), client side: one long GET stream whose first {@code endpoint} event
 * names the URL to POST messages to; every answer arrives on that stream.
 */
final class SseTransport implements MessageTransport {

  private final String upstream;
  private final URI url;
  private final UpstreamHttp http;
  private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile InputStream stream;
  private volatile Thread reader;

  SseTransport(String upstream, URI url, UpstreamHttp http) {
    this.upstream = upstream;
    this.url = url;
    this.http = http;
  }

  @Override
  public void start(Inbound inbound) {
    long started = System.nanoTime();
    UpstreamRequest get = http.request(url, Map.of()).header("Accept", "text/event-stream").get();
    UpstreamResponse response = http.send(get, "the SSE stream's GET", http.connectTimeout());
    if (response.status() >= 300 || !UpstreamHttp.isEventStream(response)) {
      UpstreamHttp.discard(response);
      throw response.status() >= 300 ? http.statusError("the SSE stream's GET", response.status())
          : UpstreamErrors.protocol(upstream, "answered the SSE stream's GET with content type '"
              + UpstreamHttp.contentType(response) + "'");
    }
    stream = response.body();
    if (closed.isDone()) {
      UpstreamHttp.discard(response); // closed while connecting: close() may have missed this stream
      throw UpstreamErrors.unavailable(upstream, "was closed while connecting");
    }
    reader = Thread.ofVirtual().name("mcpgw-sse-" + upstream).start(() -> read(response.body(), inbound));
    long left = http.connectTimeout().toNanos() - (System.nanoTime() - started);
    try {
      endpoint.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      close();
      throw new UpstreamException(upstream, UpstreamException.Kind.TIMEOUT, "upstream '" + upstream
          + "' sent no endpoint event within " + UpstreamErrors.format(http.connectTimeout()));
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof UpstreamException u ? u
          : UpstreamErrors.unavailable(upstream, "broke its SSE stream", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw UpstreamErrors.unavailable(upstream, "was not connected: interrupted");
    }
  }

  private void read(InputStream body, Inbound inbound) {
    SseReader events = new SseReader(body);
    String end = "closed its SSE stream";
    try {
      SseReader.Event event;
      while (!closed.isDone() && (event = events.next()) != null) {
        if ("endpoint".equals(event.name())) {
          onEndpoint(event.data());
        } else {
          JsonNode message = SseMessages.of(event, upstream);
          if (message != null) {
            inbound.message(message, null);
          }
        }
      }
    } catch (IOException e) {
      end = "broke its SSE stream: " + UpstreamErrors.describe(e);
    } finally {
      UpstreamHttp.closeQuietly(body);
    }
    UpstreamException cause = UpstreamErrors.unavailable(upstream, end);
    endpoint.completeExceptionally(cause);
    if (closed.complete(null)) {
      inbound.closed(cause);
    }
  }

  private void onEndpoint(String data) {
    URI target;
    try {
      target = url.resolve(data.trim());
    } catch (IllegalArgumentException e) {
      endpoint.completeExceptionally(UpstreamErrors.protocol(upstream, "sent an endpoint event that is not a URI"));
      return;
    }
    // the configured headers carry credentials: they go only where the operator pointed the gateway
    if (!Objects.equals(target.getScheme(), url.getScheme()) || !Objects.equals(target.getHost(), url.getHost())
        || target.getPort() != url.getPort()) {
      endpoint.completeExceptionally(UpstreamErrors.protocol(upstream,
          "sent an endpoint on another origin than its SSE URL; refused"));
      UpstreamHttp.closeQuietly(stream);
      return;
    }
    endpoint.complete(target);
  }

  @Override
  public void send(ObjectNode message, Map<String, String> headers, CompletableFuture<?> exchange) {
    URI target = endpoint.getNow(null);
    String what = message.hasNonNull("method") ? message.get("method").asText() : "a response";
    if (target == null || closed.isDone()) {
      throw UpstreamErrors.unavailable(upstream, "session is closed");
    }
    byte[] body;
    try {
      body = MessageJson.MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw UpstreamErrors.protocol(upstream, "could not be sent " + what + ": not serialisable");
    }
    UpstreamRequest post = http.request(target, headers)
        .header("Content-Type", "application/json")
        .post(body);
    if (exchange == null) {
      // notifications and responses: servers acknowledge them at once, and their order matters (the handshake)
      checkStatus(http.send(post, what, http.connectTimeout()), what);
      return;
    }
    // A request's POST is not waited for here: servers such as the MCP Java SDK's answer it only once the request is
    // handled, and handling may need the answer to a server-to-client request (sampling, elicitation) that this
    // session's serial sender has to POST meanwhile. An error status fails the request when it comes; the request's
    // own timeout bounds the wait.
    http.sendAsync(post, what, exchange).whenComplete((response, error) -> {
      try {
        if (error != null) {
          exchange.completeExceptionally(error);
        } else {
          checkStatus(response, what);
        }
      } catch (UpstreamException e) {
        exchange.completeExceptionally(e);
      }
    });
  }

  private void checkStatus(UpstreamResponse response, String what) {
    UpstreamHttp.discard(response); // the answer arrives on the SSE stream
    if (response.status() >= 300) {
      throw http.statusError(what, response.status());
    }
  }

  /** The {@code sessionId} query parameter of the endpoint the server named, as MCP's legacy servers use it. */
  @Override
  public String sessionId() {
    URI target = endpoint.isDone() && !endpoint.isCompletedExceptionally() ? endpoint.join() : null;
    String query = target == null ? null : target.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("sessionId=")) {
        return java.net.URLDecoder.decode(pair.substring("sessionId=".length()), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    closed.complete(null);
    InputStream s = stream;
    if (s != null) {
      UpstreamHttp.closeQuietly(s);
    }
    Thread t = reader;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
