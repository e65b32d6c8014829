package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.mcp.Downstream;
import dev.mcpgw.gateway.mcp.Exchange;
import dev.mcpgw.gateway.mcp.MessageDispatch;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Serves one well-formed request of the stateless revision 2026-07-28 ({@link StatelessRequests} validated its
 * header and {@code _meta}) without a session: the headers that mirror the body must be there and agree with it
 * (SEP-2243: {@code Mcp-Method} always, {@code Mcp-Name} where the body names a tool, prompt or resource, and the
 * {@link ParamHeaders} of the tool called; else {@code -32020}, HTTP 400); methods of the session era ({@code initialize}, {@code ping}, {@code logging/setLevel},
 * {@code resources/subscribe}, {@code resources/unsubscribe}) are answered 404 {@code -32601}, as unknown methods
 * are; {@code subscriptions/listen} opens a {@link Listens} stream; everything else goes to the dispatcher like a
 * session request, with no session id (so no {@code mcp.session.id} on its span), and its result gets
 * {@code resultType} ({@code complete} unless the upstream said otherwise, as an {@code InputRequiredResult} does)
 * and, on the cacheable methods, the caching hints {@code ttlMs} 0 and {@code cacheScope} {@code private}: what the
 * gateway lists depends on the caller, so no answer may be shared across callers. The {@code requestState} of a
 * multi round-trip request travels {@link SealedStates sealed} to its caller and request.
 */
final class StatelessServing {
  /** Methods of the session era that the stateless revision removed. */
  static final Set<String> REMOVED = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
      "resources/unsubscribe");
  static final Set<String> CACHEABLE = Set.of("tools/list", "prompts/list", "resources/list",
      "resources/templates/list", "resources/read", "server/discover");
  private static final Map<String, String> NAME_MEMBER = Map.of("tools/call", "name", "prompts/get", "name",
      "resources/read", "uri");

  private final MessageDispatch dispatcher;
  private final Listens listens;
  private final Catalog catalog;
  private final SealedStates states;

  StatelessServing(MessageDispatch dispatcher, Listens listens, Catalog catalog, SealedStates states) {
    this.dispatcher = dispatcher;
    this.listens = listens;
    this.catalog = catalog;
    this.states = states;
  }

  void serve(HttpServletRequest req, HttpServletResponse res, Scope scope, ObjectNode msg, JsonRpc.Kind kind)
      throws IOException {
    JsonNode id = JsonRpc.idOf(msg);
    String method = msg.path("method").asText(null);
    String mismatch = mismatch(req, method, msg);
    if (mismatch == null && "tools/call".equals(method) && msg.path("params").path("name").isTextual()) {
      mismatch = catalog.tool(scope, msg.get("params").get("name").textValue())
          .map(tool -> ParamHeaders.mismatch(req, tool.definition(), msg.get("params").path("arguments")))
          .orElse(null);
    }
    if (mismatch != null) {
      HttpAnswers.json(res, 400, JsonRpc.error(id, StatelessRequests.HEADER_ERROR, mismatch, null));
      return;
    }
    if (kind != JsonRpc.Kind.REQUEST) {
      // notifications of this revision (cancellation) refer to requests of other HTTP exchanges: nothing to act on
      res.setStatus(202);
      return;
    }
    if (REMOVED.contains(method)) {
      HttpAnswers.json(res, 404, JsonRpc.error(id, RpcException.METHOD_NOT_FOUND, "Method not found: " + method
          + " (removed in protocol version " + StatelessRequests.served() + ")", null));
      return;
    }
    Exchange exchange = new Exchange(HttpAnswers.caller(req), HttpAnswers.requestId(req), scope, null,
        Downstream.NONE);
    if (method.equals("subscriptions/listen")) {
      listens.open(req, res, exchange, msg);
      return;
    }
    String member = NAME_MEMBER.get(method);
    String target = member == null ? null : msg.path("params").path(member).asText(null);
    if (member != null && msg.path("params").path("requestState").isTextual()) {
      String upstreamState = states.open(msg.get("params").get("requestState").textValue(), exchange.caller(), scope,
          method, target);
      if (upstreamState == null) {
        HttpAnswers.json(res, 400, JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: requestState "
            + "was not issued by this gateway to this caller for this request, was changed, or expired", null));
        return;
      }
      ((ObjectNode) msg.get("params")).put("requestState", upstreamState);
    }
    ObjectNode response = dispatcher.dispatch(msg, exchange);
    if (method.equals("tools/call")) {
      listens.soon(scope);
    }
    JsonNode error = response.get("error");
    if (error instanceof ObjectNode e) {
      if (e.path("code").asInt() == RpcException.RESOURCE_NOT_FOUND) {
        // SEP-2164: this revision says -32602 for a resource that does not exist (data.uri stays)
        e.put("code", RpcException.INVALID_PARAMS);
      }
      HttpAnswers.json(res, status(e.path("code").asInt()), response);
      return;
    }
    if (response.get("result") instanceof ObjectNode result) {
      if (member != null && result.path("requestState").isTextual()) {
        result.put("requestState", states.seal(result.get("requestState").textValue(), exchange.caller(), scope,
            method, target));
      }
      if (!result.has("resultType")) {
        result.put("resultType", "complete");
      }
      if (CACHEABLE.contains(method)) {
        result.put("ttlMs", 0).put("cacheScope", "private");
      }
    }
    HttpAnswers.json(res, 200, response);
  }

  /** The HTTP status of a JSON-RPC error of this revision. */
  static int status(int code) {
    return switch (code) {
      case RpcException.METHOD_NOT_FOUND -> 404;
      case RpcException.INVALID_PARAMS, RpcException.INVALID_REQUEST, StatelessRequests.HEADER_ERROR,
          StatelessRequests.MISSING_CAPABILITY, StatelessRequests.UNSUPPORTED_VERSION -> 400;
      default -> 200;
    };
  }

  /** Why the mirrored headers disagree with the body, or {@code null} when they agree. */
  private static String mismatch(HttpServletRequest req, String method, ObjectNode msg) {
    String methodHeader = strip(req.getHeader(MirroredHeaders.METHOD));
    if (method != null && !method.equals(methodHeader)) {
      return methodHeader == null ? "Header mismatch: the Mcp-Method header is required"
          : "Header mismatch: Mcp-Method does not match the body's method";
    }
    String member = method == null ? null : NAME_MEMBER.get(method);
    JsonNode value = member == null ? null : msg.path("params").get(member);
    if (value != null && value.isTextual()) {
      String nameHeader = strip(req.getHeader(MirroredHeaders.NAME));
      if (!value.textValue().equals(nameHeader)) {
        return nameHeader == null ? "Header mismatch: the Mcp-Name header is required for " + method
            : "Header mismatch: Mcp-Name does not match params." + member;
      }
    }
    return null;
  }

  /** A header value without the optional whitespace around it (RFC 9110 section 5.5). */
  private static String strip(String value) {
    return value == null ? null : value.strip();
  }
}
