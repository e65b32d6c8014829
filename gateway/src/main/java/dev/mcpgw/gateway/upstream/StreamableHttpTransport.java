package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP Streamable HTTP transport, client side: each message is a POST whose answer is either one JSON body or an
 * SSE stream carrying the request's notifications and server-to-client requests before its response; an optional GET
 * stream carries messages the server sends on its own. Streams that break after an event id are resumed with
 * {@code Last-Event-ID}.
 */
final class StreamableHttpTransport implements MessageTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);
  private static final long DEFAULT_RETRY_MILLIS = 1000;
  private static final int MAX_RESUMES = 10;
  private static final int MAX_LISTEN_FAILURES = 5;

  private final String upstream;
  private final URI url;
  private final UpstreamHttp http;
  private final Executor background;
  private final ThrottledLogger warnings;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile Inbound inbound;
  private volatile String sessionId;
  private volatile String protocolVersion;
  private volatile InputStream listening;

  StreamableHttpTransport(String upstream, URI url, UpstreamHttp http, Executor background) {
    this.upstream = upstream;
    this.url = url;
    this.http = http;
    this.background = background;
    this.warnings = ThrottledLogger.of(LOG);
  }

  @Override
  public void start(Inbound inbound) {
    // nothing to open: the initialize POST is the first contact
    this.inbound = inbound;
  }

  @Override
  public void send(ObjectNode message, Map<String, String> headers, CompletableFuture<?> exchange) {
    if (closed.isDone()) {
      throw UpstreamErrors.unavailable(upstream, "session is closed");
    }
    boolean isRequest = message.hasNonNull("method") && message.hasNonNull("id");
    String what = message.hasNonNull("method") ? message.get("method").asText() : "a response";
    Long requestId = isRequest ? message.get("id").asLong() : null;
    byte[] body;
    try {
      body = MessageJson.MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw UpstreamErrors.protocol(upstream, "could not be sent " + what + ": not serialisable");
    }
    UpstreamRequest b = http.request(url, headers)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .post(body);
    sessionHeaders(b);
    // a notification or response is acknowledged at once (202); the connect timeout bounds a server that stalls
    UpstreamResponse response = exchange != null ? http.send(b, what, exchange)
        : http.send(b, what, http.connectTimeout());
    int status = response.status();
    if ("initialize".equals(what)) {
      String id = response.header("Mcp-Session-Id");
      if (id != null) {
        sessionId = id;
      }
    }
    if (status == 404 && sessionId != null && !"initialize".equals(what)) {
      UpstreamHttp.discard(response);
      UpstreamException gone = UpstreamErrors.unavailable(upstream, "ended the session (HTTP 404 for " + what + ")");
      expire(gone);
      throw gone;
    }
    if (status >= 400) {
      JsonNode rpc = UpstreamHttp.jsonRpcBody(response);
      if (isRequest && rpc != null && rpc.has("error") && rpc.path("id").asLong(-1) == requestId) {
        inbound.message(rpc, requestId);
        return;
      }
      if (status == 400 && sessionId != null && !"initialize".equals(what) && refusesTheSession(rpc)) {
        // a restarted server that answers an unknown session with 400 instead of the 404 the spec asks for
        UpstreamException gone = UpstreamErrors.unavailable(upstream, "ended the session (HTTP 400 for " + what
            + ": no valid session)");
        expire(gone);
        throw gone;
      }
      throw http.statusError(what, status);
    }
    if (!isRequest) {
      UpstreamHttp.discard(response); // 202 Accepted for notifications and responses
      return;
    }
    if (UpstreamHttp.isEventStream(response)) {
      String lastEventId = readEvents(response.body(), requestId, exchange).lastEventId();
      resume(lastEventId, requestId, exchange, what);
    } else if (UpstreamHttp.isJson(response)) {
      try (InputStream in = response.body()) {
        inbound.message(MessageJson.MAPPER.readTree(in), requestId);
      } catch (IOException e) {
        if (!exchange.isDone()) {
          throw UpstreamErrors.unavailable(upstream, "broke the answer to " + what + ": " + UpstreamErrors.describe(e), e);
        }
      }
    } else {
      UpstreamHttp.discard(response);
      throw UpstreamErrors.protocol(upstream, "answered " + what + " with HTTP " + status + " and content type '"
          + UpstreamHttp.contentType(response) + "'");
    }
  }

  /** After a request's stream ended without its answer: reconnect with the last event id, as the server asked. */
  private void resume(String lastEventId, Long requestId, CompletableFuture<?> exchange, String what) {
    StreamEnd end = new StreamEnd(lastEventId, null, false);
    for (int i = 0; i < MAX_RESUMES && !exchange.isDone() && end.lastEventId() != null && !closed.isDone(); i++) {
      UpstreamHttp.pause(exchange, end.retryMillis() == null ? DEFAULT_RETRY_MILLIS : end.retryMillis());
      if (exchange.isDone()) {
        return;
      }
      UpstreamResponse r = get(end.lastEventId(), exchange, what);
      if (r.status() >= 300 || !UpstreamHttp.isEventStream(r)) {
        UpstreamHttp.discard(r);
        break;
      }
      StreamEnd next = readEvents(r.body(), requestId, exchange);
      end = new StreamEnd(next.lastEventId() == null ? end.lastEventId() : next.lastEventId(), next.retryMillis(),
          next.broken());
    }
    if (!exchange.isDone()) {
      exchange.completeExceptionally(UpstreamErrors.unavailable(upstream, "closed the stream of " + what
          + " without answering it"));
    }
  }

  /**
   * Reads events until the stream ends or {@code exchange} completes (then the stream is closed), giving each message
   * to the inbound in order.
   */
  private StreamEnd readEvents(InputStream body, Long requestId, CompletableFuture<?> exchange) {
    if (exchange != null) {
      // Answered: let the server end the stream itself (it does right after the answer) so the connection goes back
      // to the pool; a stream still open after the grace period is cut. Failed or cancelled: cut at once.
      exchange.whenComplete((r, e) -> {
        if (e == null) {
          http.closeLater(body);
        } else {
          UpstreamHttp.closeQuietly(body);
        }
      });
    } else {
      listening = body;
      if (closed.isDone()) {
        UpstreamHttp.closeQuietly(body);
      }
    }
    SseReader reader = new SseReader(body);
    boolean broken = false;
    try {
      SseReader.Event event;
      while (!cut(exchange) && (event = reader.next()) != null) {
        JsonNode message = done(exchange) ? null : SseMessages.of(event, upstream); // none in priming events
        if (message != null) {
          inbound.message(message, requestId);
        }
      }
    } catch (IOException e) {
      broken = !done(exchange);
      if (broken) {
        LOG.debug("upstream '{}': stream broke: {}", upstream, e.toString());
      }
    } finally {
      http.closeRead(body);
    }
    return new StreamEnd(reader.lastEventId(), reader.retryMillis(), broken);
  }

  /** Whether to stop reading at once: the session closed, or the exchange failed or was cancelled. */
  private boolean cut(CompletableFuture<?> exchange) {
    return closed.isDone() || (exchange != null && exchange.isCompletedExceptionally());
  }

  private boolean done(CompletableFuture<?> exchange) {
    return closed.isDone() || (exchange != null && exchange.isDone());
  }

  /** Opens a GET stream; for a request's resumption {@code exchange} bounds it, else the connect timeout. */
  private UpstreamResponse get(String lastEventId, CompletableFuture<?> exchange, String what) {
    UpstreamRequest b = http.request(url, Map.of()).header("Accept", "text/event-stream").get();
    sessionHeaders(b);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return exchange != null ? http.send(b, what, exchange) : http.send(b, what, http.connectTimeout());
  }

  @Override
  public void initialized(String protocolVersion) {
    this.protocolVersion = protocolVersion;
    background.execute(this::listen);
  }

  /** The optional GET stream for messages the server sends on its own; reopened while the session lives. */
  private void listen() {
    String lastEventId = null;
    int failures = 0;
    while (!closed.isDone()) {
      UpstreamResponse r;
      try {
        r = get(lastEventId, null, "the listening stream");
      } catch (UpstreamException e) {
        if (closed.isDone() || ++failures > MAX_LISTEN_FAILURES) {
          return;
        }
        UpstreamHttp.pause(closed, DEFAULT_RETRY_MILLIS * failures);
        continue;
      }
      int status = r.status();
      if (status == 405) {
        UpstreamHttp.discard(r);
        LOG.debug("upstream '{}' offers no listening stream", upstream);
        return;
      }
      if (status == 404 && sessionId != null) {
        UpstreamHttp.discard(r);
        expire(UpstreamErrors.unavailable(upstream, "ended the session (HTTP 404 for the listening stream)"));
        return;
      }
      if (status == 400 && sessionId != null && refusesTheSession(UpstreamHttp.jsonRpcBody(r))) {
        expire(UpstreamErrors.unavailable(upstream, "ended the session (HTTP 400 for the listening stream: no valid"
            + " session)"));
        return;
      }
      if (status >= 300 || !UpstreamHttp.isEventStream(r)) {
        UpstreamHttp.discard(r);
        warnings.warn("upstream '{}' answered the listening stream's GET with HTTP {}; server-initiated messages "
            + "arrive only on request streams", upstream, status);
        return;
      }
      failures = 0;
      StreamEnd end = readEvents(r.body(), null, null);
      lastEventId = end.lastEventId() != null ? end.lastEventId() : lastEventId;
      UpstreamHttp.pause(closed, end.retryMillis() == null ? DEFAULT_RETRY_MILLIS : end.retryMillis());
    }
  }

  /** A JSON-RPC error about no request (id null) that names the session: the server does not know ours. */
  private static boolean refusesTheSession(JsonNode rpc) {
    return rpc != null && !rpc.hasNonNull("id") && rpc.path("error").path("message").asText("")
        .toLowerCase(java.util.Locale.ROOT).contains("session");
  }

  private void sessionHeaders(UpstreamRequest b) {
    String id = sessionId;
    if (id != null) {
      b.header("Mcp-Session-Id", id);
    }
    String version = protocolVersion;
    if (version != null) {
      b.header("MCP-Protocol-Version", version);
    }
  }

  private void expire(UpstreamException cause) {
    if (closed.complete(null)) {
      InputStream stream = listening;
      if (stream != null) {
        UpstreamHttp.closeQuietly(stream);
      }
      inbound.closed(cause);
    }
  }

  /**
   * Only inside a session, or when the request has a {@code _meta} already. A 2026-07-28-aware server reads a POST
   * without {@code Mcp-Session-Id} that carries a {@code params._meta} as stateless (2026-07-28) traffic, and refuses
   * it when it lacks that revision's header and {@code _meta} fields: so {@code initialize}, and every request to a
   * server that hands out no session, carry the context in their headers alone.
   */
  @Override
  public boolean metaCarriesContext(ObjectNode params) {
    return sessionId != null || (params != null && params.get("_meta") instanceof ObjectNode);
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.complete(null)) {
      return;
    }
    InputStream stream = listening;
    if (stream != null) {
      UpstreamHttp.closeQuietly(stream);
    }
    String id = sessionId;
    if (id == null) {
      return;
    }
    // ends the server's session so it frees what it holds for us; a server that does not allow it answers 405
    UpstreamRequest b = http.request(url, Map.of()).delete();
    sessionHeaders(b);
    try {
      UpstreamHttp.discard(http.send(b, "the session's DELETE", http.connectTimeout()));
    } catch (UpstreamException e) {
      LOG.debug("upstream '{}': {}", upstream, e.getMessage());
    }
  }

  private record StreamEnd(String lastEventId, Long retryMillis, boolean broken) {}
}
