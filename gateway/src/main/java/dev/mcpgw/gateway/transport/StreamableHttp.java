package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.mcp.SessionLifecycle;
import dev.mcpgw.gateway.mcp.ProtocolVersions;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The Streamable HTTP transport (MCP 2025-03-26 and later) of one endpoint: POST carries client messages, GET opens
 * the session's stream for server-initiated messages, DELETE ends the session. Sessions start with initialize and
 * are required after it (400 without the header, 404 when unknown or ended).
 */
final class StreamableHttp {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String VERSION_HEADER = "MCP-Protocol-Version";
  static final String LAST_EVENT_ID = "Last-Event-ID";

  private final MessageDispatch dispatcher;
  private final SessionLifecycle lifecycle;
  private final McpSessions sessions;
  private final McpSettings settings;
  private final StatelessServing stateless;

  StreamableHttp(MessageDispatch dispatcher, SessionLifecycle lifecycle, McpSessions sessions, McpSettings settings,
      StatelessServing stateless) {
    this.stateless = stateless;
    this.dispatcher = dispatcher;
    this.lifecycle = lifecycle;
    this.sessions = sessions;
    this.settings = settings;
  }

  void handle(HttpServletRequest req, HttpServletResponse res, Scope scope) throws IOException {
    String version = req.getHeader(VERSION_HEADER);
    boolean sessionless = "POST".equals(req.getMethod()) && req.getHeader(SESSION_HEADER) == null;
    if (version != null && !ProtocolVersions.isSupported(version) && !sessionless) {
      unsupportedVersion(res, version);
      return;
    }
    switch (req.getMethod()) {
      case "POST" -> post(req, res, scope);
      case "GET" -> get(req, res, scope);
      case "DELETE" -> delete(req, res, scope);
      default -> {
        res.setHeader("Allow", "GET, POST, DELETE");
        HttpAnswers.error(res, 405, "method " + req.getMethod() + " is not allowed on an MCP endpoint", "method");
      }
    }
  }

  private static void unsupportedVersion(HttpServletResponse res, String version) throws IOException {
    HttpAnswers.error(res, 400, "unsupported MCP-Protocol-Version '" + version + "'; supported: "
        + ProtocolVersions.SUPPORTED, VERSION_HEADER);
  }

  private void post(HttpServletRequest req, HttpServletResponse res, Scope scope) throws IOException {
    String accept = req.getHeader("Accept");
    if (!HttpAnswers.accepts(accept, "application/json") && !HttpAnswers.accepts(accept, "text/event-stream")) {
      HttpAnswers.error(res, 406, "Accept must include application/json and text/event-stream", "Accept");
      return;
    }
    if (!HttpAnswers.isJson(req.getContentType())) {
      HttpAnswers.error(res, 415, "Content-Type must be application/json", "Content-Type");
      return;
    }
    String version = req.getHeader(VERSION_HEADER);
    byte[] body = HttpAnswers.body(req, settings.maxBodyBytes());
    if (body == null) {
      HttpAnswers.tooLarge(res, settings.maxBodyBytes());
      return;
    }
    JsonNode parsed;
    try {
      parsed = JsonRpc.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      // the location only: the parser's message would quote the body back
      HttpAnswers.error(res, 400, RpcException.PARSE_ERROR, "Parse error: " + MessageJson.describe(e), "body", null);
      return;
    }
    if (parsed == null || parsed.isMissingNode()) {
      HttpAnswers.error(res, 400, RpcException.PARSE_ERROR, "Parse error: the body is empty", "body", null);
      return;
    }
    if (parsed.isArray()) {
      if (version != null && !ProtocolVersions.isSupported(version)) {
        unsupportedVersion(res, version);
        return;
      }
      batch(req, res, scope, (ArrayNode) parsed, version);
    } else {
      single(req, res, scope, parsed, accept);
    }
  }

  private void single(HttpServletRequest req, HttpServletResponse res, Scope scope, JsonNode message, String accept)
      throws IOException {
    JsonRpc.Kind kind;
    try {
      kind = JsonRpc.classify(message);
    } catch (RpcException e) {
      HttpAnswers.json(res, 400, JsonRpc.error(JsonRpc.idOf(message), e));
      return;
    }
    ObjectNode msg = (ObjectNode) message;
    String version = req.getHeader(VERSION_HEADER);
    if (StatelessRequests.isStateless(req.getHeader(SESSION_HEADER), version, msg)) {
      ObjectNode refusal = StatelessRequests.refusal(version, msg);
      if (refusal != null) {
        HttpAnswers.json(res, 400, refusal);
      } else {
        stateless.serve(req, res, scope, msg, kind);
      }
      return;
    }
    MirroredHeaders.Mismatch mismatch = MirroredHeaders.check(req.getHeader(MirroredHeaders.METHOD),
        req.getHeader(MirroredHeaders.NAME), msg);
    if (mismatch != null) {
      HttpAnswers.error(res, 400, MirroredHeaders.HEADER_MISMATCH, mismatch.message(), mismatch.header(),
          JsonRpc.idOf(msg));
      return;
    }
    Caller caller = HttpAnswers.caller(req);
    if (kind == JsonRpc.Kind.REQUEST && "initialize".equals(msg.get("method").textValue())) {
      ObjectNode response = dispatcher.dispatch(msg, exchange(req, scope, null, Downstream.NONE));
      JsonNode negotiated = response.path("result").path("protocolVersion");
      if (negotiated.isTextual()) {
        McpSession session;
        try {
          session = sessions.create(scope, caller, false, negotiated.textValue());
        } catch (SessionLimitException refused) {
          HttpAnswers.refused(res, refused, JsonRpc.idOf(msg));
          return;
        }
        lifecycle.sessionStarted(session.id(), scope,
            msg.get("params") instanceof ObjectNode p ? p : null, session.outlet());
        res.setHeader(SESSION_HEADER, session.id());
      }
      HttpAnswers.json(res, 200, response);
      return;
    }
    McpSession session = requireSession(req, res, scope, caller);
    if (session == null) {
      return;
    }
    if (kind != JsonRpc.Kind.REQUEST) {
      dispatcher.dispatch(msg, exchange(req, scope, session.id(), Downstream.NONE));
      res.setStatus(202);
      return;
    }
    PostAnswer answer = new PostAnswer(res, HttpAnswers.accepts(accept, "text/event-stream"), session);
    answer.finish(dispatcher.dispatch(msg, exchange(req, scope, session.id(), answer)));
  }

  /** Batches existed in revision 2025-03-26 only; later revisions answer them with -32600. */
  private void batch(HttpServletRequest req, HttpServletResponse res, Scope scope, ArrayNode batch, String headerVersion)
      throws IOException {
    McpSession session = requireSession(req, res, scope, HttpAnswers.caller(req));
    if (session == null) {
      return;
    }
    String version = headerVersion != null ? headerVersion : session.protocolVersion();
    if (!ProtocolVersions.allowsBatches(version)) {
      HttpAnswers.error(res, 400, RpcException.INVALID_REQUEST,
          "JSON-RPC batches are not supported in protocol version " + version, "body", null);
      return;
    }
    if (batch.isEmpty()) {
      HttpAnswers.error(res, 400, RpcException.INVALID_REQUEST, "an empty batch is not a request", "body", null);
      return;
    }
    ArrayNode responses = JsonRpc.MAPPER.createArrayNode();
    for (JsonNode message : batch) {
      try {
        JsonRpc.Kind kind = JsonRpc.classify(message);
        if (kind == JsonRpc.Kind.REQUEST && "initialize".equals(message.get("method").textValue())) {
          throw RpcException.invalidRequest("initialize must not be part of a batch");
        }
        ObjectNode response = dispatcher.dispatch((ObjectNode) message, exchange(req, scope, session.id(), Downstream.NONE));
        if (response != null) {
          responses.add(response);
        }
      } catch (RpcException e) {
        responses.add(JsonRpc.error(JsonRpc.idOf(message), e));
      }
    }
    if (responses.isEmpty()) {
      res.setStatus(202);
    } else {
      HttpAnswers.json(res, 200, responses);
    }
  }

  private void get(HttpServletRequest req, HttpServletResponse res, Scope scope) throws IOException {
    String accept = req.getHeader("Accept");
    if (accept == null || !accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream")) {
      HttpAnswers.error(res, 406, "a GET on an MCP endpoint must accept text/event-stream", "Accept");
      return;
    }
    McpSession session = requireSession(req, res, scope, HttpAnswers.caller(req));
    if (session == null) {
      return;
    }
    String lastEventId = req.getHeader(LAST_EVENT_ID);
    if (lastEventId != null) {
      resume(req, res, session, lastEventId);
      return;
    }
    if (!session.openStream(() -> openLongLived(req, res, session))) {
      HttpAnswers.error(res, 409, "this session already has an open GET stream", SESSION_HEADER);
    }
  }

  /** An SSE stream that outlives this servlet call; the session forgets it when the container ends it. */
  private static SseStream openLongLived(HttpServletRequest req, HttpServletResponse res, McpSession session)
      throws IOException {
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    SseStream stream = SseStream.open(res, async);
    async.addListener(new Detach(session, stream));
    return stream;
  }

  /** A GET with {@code Last-Event-ID}: the stream it names continues on this connection after that event. */
  private void resume(HttpServletRequest req, HttpServletResponse res, McpSession session, String lastEventId)
      throws IOException {
    int dash = lastEventId.lastIndexOf('-');
    long seq;
    try {
      seq = dash <= 0 ? -1 : Long.parseLong(lastEventId.substring(dash + 1));
    } catch (NumberFormatException e) {
      seq = -1;
    }
    if (seq < 0) {
      HttpAnswers.error(res, 400, "Last-Event-ID is not an event id this gateway issued", LAST_EVENT_ID);
      return;
    }
    ResumableStream resumed = session.resumable(lastEventId.substring(0, dash));
    if (resumed == null) {
      HttpAnswers.error(res, 404, "the stream of Last-Event-ID is no longer kept; nothing to replay", LAST_EVENT_ID);
      return;
    }
    session.resume(resumed, seq, openLongLived(req, res, session));
  }

  private void delete(HttpServletRequest req, HttpServletResponse res, Scope scope) throws IOException {
    McpSession session = requireSession(req, res, scope, HttpAnswers.caller(req));
    if (session != null) {
      sessions.end(session.id());
      res.setStatus(204);
    }
  }

  /** The request's session, or {@code null} after answering 400 (no header) or 404 (unknown, ended, not theirs). */
  private McpSession requireSession(HttpServletRequest req, HttpServletResponse res, Scope scope, Caller caller)
      throws IOException {
    String id = req.getHeader(SESSION_HEADER);
    if (id == null || id.isBlank()) {
      HttpAnswers.error(res, 400, "the Mcp-Session-Id header is required after initialize", SESSION_HEADER);
      return null;
    }
    McpSession session = sessions.find(id);
    if (session == null || !session.belongsTo(scope, caller, false)) {
      // someone else's session looks exactly like an unknown one: ids are not confirmed to strangers
      HttpAnswers.error(res, 404, "unknown or ended session; initialize a new one", SESSION_HEADER);
      return null;
    }
    return session;
  }

  private Exchange exchange(HttpServletRequest req, Scope scope, String sessionId, Downstream downstream) {
    return new Exchange(HttpAnswers.caller(req), HttpAnswers.requestId(req), scope, sessionId, downstream);
  }

  /** Forgets a session's stream when the container ends it (client gone, error). */
  private record Detach(McpSession session, SseStream stream) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      session.detach(stream);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      stream.close();
      session.detach(stream);
    }

    @Override
    public void onError(AsyncEvent event) {
      stream.close();
      session.detach(stream);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
