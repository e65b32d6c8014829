package dev.mcpgw.gateway.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
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
import java.util.concurrent.Executor;
import java.util.Set;

/**
 * Serves one well-formed request of the stateless revision 2026-07-28 ({@link StatelessRequests} validated its
 * header and {@code _meta}) without a session: the headers that mirror the body must be there and agree with it
 * (SEP-2243: {@code Mcp-Method} always, {@code Mcp-Name} where the body names a tool, prompt or resource, and the
 * {@link ParamHeaders} of the tool called; else {@code -32020}, HTTP 400); methods of the session era
 * ({@code initialize}, {@code ping}, {@code logging/setLevel}, {@code resources/subscribe},
 * {@code resources/unsubscribe}) are answered 404 {@code -32601}, as unknown methods are; {@code subscriptions/listen}
 * opens a {@link Listens} stream; everything else goes to the dispatcher like a session request, with no session id
 * (so no {@code mcp.session.id} on its span), and its result gets {@code resultType} ({@code complete} unless the
 * upstream said otherwise, as an {@code InputRequiredResult} does) and, on the cacheable methods, the caching hints
 * {@code ttlMs} 0 and {@code cacheScope} {@code private}: what the gateway lists depends on the caller, so no answer
 * may be shared across callers. The {@code requestState} of a multi round-trip request travels
 * {@link SealedStates sealed} to its caller and request. A request that may need input runs as a {@link HeldCall}:
 * an upstream of the session era that asks for sampling, elicitation or roots mid-call makes the client's answer an
 * {@code InputRequiredResult}, and the client's retry feeds the held call.
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
  /** What a sealed state holds: the upstream's own state, or a call held here. */
  private static final String UPSTREAM = "u:";
  private static final String HELD = "h:";

  private final Catalog catalog;
  private final SealedStates states;
  private final HeldCalls calls;
  private final Executor workers;

  /** @param workers runs held requests (in the request's trace context) */
  StatelessServing(MessageDispatch dispatcher, Listens listens, Catalog catalog, SealedStates states,
      HeldCalls calls, Executor workers) {
    this.dispatcher = dispatcher;
    this.listens = listens;
    this.catalog = catalog;
    this.states = states;
    this.calls = calls;
    this.workers = workers;
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
    if (member == null) {
      finish(res, method, null, exchange, dispatcher.dispatch(msg, exchange));
      return;
    }
    held(req, res, msg, method, member, exchange);
  }

  /**
   * A request that may need input from the client ({@code tools/call}, {@code prompts/get}, {@code resources/read}):
   * it runs as a {@link HeldCall}, so that an upstream of the session era that sends a server-to-client request
   * mid-call gets the client's answer from its retry; a retry (its {@code requestState} names the held call) answers
   * the call's open input requests and waits for what comes next.
   */
  private void held(HttpServletRequest req, HttpServletResponse res, ObjectNode msg, String method, String member,
      Exchange exchange) throws IOException {
    JsonNode id = JsonRpc.idOf(msg);
    Scope scope = exchange.scope();
    Caller caller = exchange.caller();
    ObjectNode params = (ObjectNode) msg.get("params");
    String target = params.path(member).asText(null);
    HeldCall call = null;
    if (params.has("requestState") && !params.get("requestState").isTextual()) {
      // not a state this gateway sealed: it would reach the upstream unchecked
      HttpAnswers.json(res, 400, JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: requestState "
          + "must be the string this gateway issued", null));
      return;
    }
    if (params.path("requestState").isTextual()) {
      String inner = states.open(params.get("requestState").textValue(), caller, scope, method, target);
      if (inner != null && inner.startsWith(HELD)) {
        call = calls.find(inner.substring(HELD.length()), caller);
        if (call == null) {
          HttpAnswers.json(res, 400, JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: the request "
              + "waiting for this input has ended (it timed out, or it waits on another gateway instance); send it "
              + "again without requestState", null));
          return;
        }
        String problem = call.answer(params.get("inputResponses"));
        if (problem != null) {
          HttpAnswers.json(res, 400, JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: " + problem,
              null));
          return;
        }
      } else if (inner != null && inner.startsWith(UPSTREAM)) {
        params.put("requestState", inner.substring(UPSTREAM.length()));
      } else {
        HttpAnswers.json(res, 400, JsonRpc.error(id, RpcException.INVALID_PARAMS, "Invalid params: requestState "
            + "was not issued by this gateway to this caller for this request, was changed, or expired", null));
        return;
      }
    }
    if (call == null) {
      call = calls.start(caller, params.path("_meta"));
      HeldCall running = call;
      Exchange own = new Exchange(caller, exchange.requestId(), scope, null, running);
      workers.execute(() -> {
        ObjectNode response;
        try {
          response = dispatcher.dispatch(msg, own);
        } catch (RuntimeException e) {
          response = JsonRpc.error(id, RpcException.INTERNAL_ERROR, "internal error; request id "
              + own.requestId(), null);
        }
        running.finish(response);
      });
    }
    HeldCall.Outcome outcome;
    try {
      outcome = call.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      HttpAnswers.json(res, 503, JsonRpc.error(id, RpcException.INTERNAL_ERROR, "the gateway is stopping", null));
      return;
    }
    if (outcome == null) {
      HttpAnswers.json(res, 409, JsonRpc.error(id, RpcException.INVALID_REQUEST, "another retry of this request "
          + "is already waiting", null));
      return;
    }
    if (outcome.response() != null) {
      calls.forget(call);
      ObjectNode response = outcome.response().deepCopy();
      response.set("id", id);
      finish(res, method, target, exchange, response);
      return;
    }
    if (!calls.keep(call)) {
      // the upstream's questions fail: it ends the call as it would with a client that cannot answer
      call.finish(JsonRpc.error(id, RpcException.INVALID_REQUEST, "too many requests wait for input", null));
      HttpAnswers.json(res, 429, JsonRpc.error(id, RpcException.INVALID_REQUEST, "too many of your requests wait "
          + "for input; answer them or let them end first", null));
      return;
    }
    ObjectNode result = JsonRpc.MAPPER.createObjectNode().put("resultType", "input_required");
    result.set("inputRequests", outcome.inputRequests());
    result.put("requestState", states.seal(HELD + call.id, caller, scope, method, target));
    HttpAnswers.json(res, 200, JsonRpc.result(id, result));
  }

  /** Answers {@code response} as this revision wants it. */
  private void finish(HttpServletResponse res, String method, String target, Exchange exchange,
      ObjectNode response) throws IOException {
    if (method.equals("tools/call")) {
      listens.soon(exchange.scope());
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
      if (target != null && result.path("requestState").isTextual()) {
        result.put("requestState", states.seal(UPSTREAM + result.get("requestState").textValue(),
            exchange.caller(), exchange.scope(), method, target));
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
      // a name that is not plain ASCII travels as =?base64?...?= (SEP-2243), as Mcp-Param-* values do
      if (nameHeader == null || !value.textValue().equals(ParamHeaders.decode(nameHeader))) {
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
