package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import dev.mcpgw.gateway.mcp.SessionLifecycle;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05): {@code GET .../sse} opens the session's stream and names the
 * {@code endpoint} to POST to; {@code POST .../message?sessionId=} is accepted with 202 and answered on the stream.
 * Answers are computed off the POST's thread so that one slow call never holds back the client's next POST.
 */
final class LegacySse {
  private final MessageDispatch dispatcher;
  private final SessionLifecycle lifecycle;
  private final McpSessions sessions;
  private final McpSettings settings;
  private final ExecutorService workers;

  LegacySse(MessageDispatch dispatcher, SessionLifecycle lifecycle, McpSessions sessions, McpSettings settings,
      ExecutorService workers) {
    this.dispatcher = dispatcher;
    this.lifecycle = lifecycle;
    this.sessions = sessions;
    this.settings = settings;
    this.workers = workers;
  }

  /** {@code GET <prefix>/sse}; {@code messagePath} is where this stream's client posts. */
  void open(HttpServletRequest req, HttpServletResponse res, Scope scope, String messagePath) throws IOException {
    if (!"GET".equals(req.getMethod())) {
      res.setHeader("Allow", "GET");
      HttpAnswers.error(res, 405, "the SSE endpoint takes GET; post messages to " + messagePath, "method");
      return;
    }
    McpSession session;
    try {
      session = sessions.create(scope, HttpAnswers.caller(req), true, null);
    } catch (SessionLimitException refused) {
      HttpAnswers.refused(res, refused, null);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(0);
    SseStream stream = SseStream.open(res, async);
    session.attach(stream);
    lifecycle.sessionStarted(session.id(), scope, null, session.outlet());
    async.addListener(new EndOnClose(sessions, session.id()));
    stream.event("endpoint", req.getContextPath() + messagePath + "?sessionId=" + session.id());
  }

  /** {@code POST <prefix>/message?sessionId=...}. */
  void message(HttpServletRequest req, HttpServletResponse res, Scope scope) throws IOException {
    if (!"POST".equals(req.getMethod())) {
      res.setHeader("Allow", "POST");
      HttpAnswers.error(res, 405, "the message endpoint takes POST", "method");
      return;
    }
    String id = req.getParameter("sessionId");
    if (id == null || id.isBlank()) {
      HttpAnswers.error(res, 400, "the sessionId query parameter is required", "sessionId");
      return;
    }
    Caller caller = HttpAnswers.caller(req);
    McpSession session = sessions.find(id);
    if (session == null || !session.belongsTo(scope, caller, true)) {
      HttpAnswers.error(res, 404, "unknown or ended session; open a new SSE stream", "sessionId");
      return;
    }
    if (!HttpAnswers.isJson(req.getContentType())) {
      HttpAnswers.error(res, 415, "Content-Type must be application/json", "Content-Type");
      return;
    }
    byte[] body = HttpAnswers.body(req, settings.maxBodyBytes());
    if (body == null) {
      HttpAnswers.tooLarge(res, settings.maxBodyBytes());
      return;
    }
    JsonNode message;
    try {
      message = JsonRpc.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      HttpAnswers.error(res, 400, RpcException.PARSE_ERROR, "Parse error: " + MessageJson.describe(e), "body", null);
      return;
    }
    JsonRpc.Kind kind;
    try {
      if (message == null || message.isMissingNode()) {
        throw RpcException.parse("Parse error: the body is empty");
      }
      kind = JsonRpc.classify(message);
    } catch (RpcException e) {
      HttpAnswers.json(res, 400, JsonRpc.error(JsonRpc.idOf(message), e));
      return;
    }
    MirroredHeaders.Mismatch mismatch = MirroredHeaders.check(req.getHeader(MirroredHeaders.METHOD),
        req.getHeader(MirroredHeaders.NAME), message);
    if (mismatch != null) {
      HttpAnswers.error(res, 400, MirroredHeaders.HEADER_MISMATCH, mismatch.message(), mismatch.header(),
          JsonRpc.idOf(message));
      return;
    }
    // a legacy session has one stream: every message, whatever it belongs to, goes there; the keep-alive timer
    // writes to it, so once that failed, probing tells that the client is gone
    Exchange exchange = new Exchange(caller, HttpAnswers.requestId(req), scope, session.id(), session.outlet());
    res.setStatus(202);
    ObjectNode msg = (ObjectNode) message;
    workers.execute(() -> {
      ObjectNode response = dispatcher.dispatch(msg, exchange);
      if (response != null) {
        JsonNode version = response.path("result").path("protocolVersion");
        if (kind == JsonRpc.Kind.REQUEST && "initialize".equals(msg.get("method").textValue()) && version.isTextual()) {
          session.protocolVersion(version.textValue());
        }
        session.send(response);
      }
    });
  }

  /** A legacy session lives exactly as long as its stream. */
  private record EndOnClose(McpSessions sessions, String id) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      sessions.end(id);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      sessions.end(id);
    }

    @Override
    public void onError(AsyncEvent event) {
      sessions.end(id);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
