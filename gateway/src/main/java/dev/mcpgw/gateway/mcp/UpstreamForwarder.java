package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request to the upstream that owns a catalog entry and waits for its result, at most the request timeout.
 * Every failure becomes a JSON-RPC error that names the upstream; an upstream's own JSON-RPC error is relayed as it
 * was sent. The client's progress token is swapped for a gateway token for the duration of the call.
 */
final class UpstreamForwarder {
  private static final ThrottledLogger LOG = ThrottledLogger.of(org.slf4j.LoggerFactory.getLogger(UpstreamForwarder.class));
  private final ProgressRouter progress;
  private final Duration timeout;
  private final InFlightCalls inFlight;
  private final Duration probeInterval;
  private final ClientSessions sessions;
  private final InputRequiredBridge bridge;
  /**
   * The upstream client ends a call at the timeout itself (a timeout error, recorded on its span and its breaker);
   * waiting this much longer lets that answer arrive before this safety net cancels the call.
   */
  private static final long AWAIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final ForwardTracing tracing;

  UpstreamForwarder(ClientSessions sessions, ProgressRouter progress, Duration timeout, InFlightCalls inFlight,
      Duration probeInterval, ForwardTracing tracing) {
    this.sessions = sessions;
    this.bridge = new InputRequiredBridge(sessions, timeout);
    this.tracing = tracing;
    this.progress = progress;
    this.timeout = timeout;
    this.inFlight = inFlight;
    this.probeInterval = probeInterval;
  }

  /** @param params the upstream request's params, built for this call (its {@code _meta} may be rewritten) */
  JsonNode forward(CatalogEntry entry, String method, ObjectNode params, Exchange exchange) {
    return forward(entry.gatewayId(), entry.gatewayName(), method, params, exchange);
  }

  /** The same, to the upstream {@code gatewayId} (registered as {@code gatewayName}, for messages). */
  JsonNode forward(String gatewayId, String gatewayName, String method, ObjectNode params, Exchange exchange) {
    String upstream = gatewayName == null ? gatewayId : gatewayName;
    JsonNode result = tracing.around(upstream, method, () -> send(gatewayId, upstream, method, params, exchange));
    // a 2026-07-28 upstream's InputRequiredResult, for a client with a session: answered through that session
    return bridge.relay(result, params, exchange, again -> tracing.around(upstream, method,
        () -> send(gatewayId, upstream, method, (ObjectNode) again, exchange)));
  }

  private JsonNode send(String gatewayId, String upstream, String method, ObjectNode params, Exchange exchange) {
    Optional<UpstreamClient> client;
    try {
      client = sessions.clientFor(exchange, gatewayId, upstream);
    } catch (RpcException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(upstream, e);
    }
    if (client.isEmpty()) {
      throw failure(upstream, "UNAVAILABLE", "upstream '" + upstream + "' is not connected");
    }
    ProgressRouter.Registration route = routeProgress(params, exchange);
    ClientSession session = sessions.get(exchange.sessionId());
    RequestListener listener = new RequestListener(progress, exchange.downstream(), sessions, session,
        tracing.relayedFromHere());
    CompletableFuture<JsonNode> future = null;
    try {
      future = client.get().request(method, params, RequestOptions.call(timeout).withListener(listener));
      try (AutoCloseable tracked = inFlight.track(exchange, future);
          AutoCloseable running = session == null ? () -> {} : session.running(exchange.downstream())) {
        return await(future, exchange.downstream());
      }
    } catch (CancellationException e) {
      // the client cancelled; it ignores whatever comes now, but the HTTP exchange still needs an answer
      throw new RpcException(RpcException.INTERNAL_ERROR, "request cancelled by the client",
          JsonRpc.MAPPER.createObjectNode().put("upstream", upstream).put("kind", "CANCELLED"));
    } catch (ExecutionException e) {
      throw translate(upstream, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw failure(upstream, "TIMEOUT", "upstream '" + upstream + "' did not answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(upstream, "UNAVAILABLE", "interrupted while waiting for upstream '" + upstream + "'");
    } catch (RpcException e) {
      throw e;
    } catch (Exception e) {
      // a client that throws instead of failing its future
      throw translate(upstream, e);
    } finally {
      listener.end();
      if (route != null) {
        route.close();
      }
    }
  }

  /**
   * Waits for the answer at most the request timeout, probing the client every {@code probeInterval}: a client that
   * went away cancels the upstream call instead of leaving it running to its end.
   */
  private JsonNode await(CompletableFuture<JsonNode> future, Downstream downstream)
      throws ExecutionException, TimeoutException, InterruptedException {
    return AnswerWait.await(future, System.nanoTime() + timeout.toNanos() + AWAIT_GRACE_NANOS, probeInterval,
        downstream);
  }

  /**
   * Receives what the upstream client relates to this request (its Streamable HTTP stream, its progress token):
   * progress goes back with the client's token, other notifications (logging) go to the request's stream as sent,
   * server-to-client requests go to the client that made the request (on this request's stream first). Those still
   * waiting when the request ends are answered with an error: the client's request that caused them is over.
   */
  private static final class RequestListener implements UpstreamListener {
    private final ProgressRouter progress;
    private final Downstream downstream;
    private final ClientSessions sessions;
    private final ClientSession session;
    private final java.util.Set<CompletableFuture<JsonNode>> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Runs a relayed request in the call's trace context (captured on the forwarding thread). */
    private final java.util.function.Function<java.util.function.Supplier<CompletableFuture<JsonNode>>,
        CompletableFuture<JsonNode>> inCallsTrace;
    private volatile boolean ended;

    RequestListener(ProgressRouter progress, Downstream downstream, ClientSessions sessions, ClientSession session,
        java.util.function.Function<java.util.function.Supplier<CompletableFuture<JsonNode>>,
            CompletableFuture<JsonNode>> inCallsTrace) {
      this.inCallsTrace = inCallsTrace;
      this.progress = progress;
      this.downstream = downstream;
      this.sessions = sessions;
      this.session = session;
    }

    @Override
    public void onNotification(String method, ObjectNode params) {
      if ("notifications/progress".equals(method) && progress != null && progress.route(params)) {
        return;
      }
      downstream.send(JsonRpc.notification(method, params));
    }

    @Override
    public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
      CompletableFuture<JsonNode> answer = inCallsTrace.apply(
          () -> sessions.serverRequest(session, method, params, downstream));
      asked.add(answer);
      answer.whenComplete((r, e) -> asked.remove(answer));
      if (ended) {
        end();
      }
      return answer;
    }

    void end() {
      ended = true;
      List.copyOf(asked).forEach(a -> a.completeExceptionally(ServerRequests.error(RpcException.INTERNAL_ERROR,
          "the client request that caused it has ended")));
    }
  }

  private ProgressRouter.Registration routeProgress(ObjectNode params, Exchange exchange) {
    JsonNode meta = params.get("_meta");
    if (progress == null || meta == null || !meta.isObject() || !meta.has("progressToken")) {
      return null;
    }
    ObjectNode copy = ((ObjectNode) meta).deepCopy();
    ProgressRouter.Registration route = progress.register(copy.get("progressToken"), exchange.downstream());
    copy.put("progressToken", route.token());
    params.set("_meta", copy);
    return route;
  }

  private static RpcException translate(String upstream, Throwable cause) {
    if (cause instanceof UpstreamException u) {
      if (u.kind() == UpstreamException.Kind.RPC_ERROR && u.rpcError() != null && u.rpcError().isObject()) {
        return RpcException.relayed(u.rpcError());
      }
      String message = describe(u);
      return failure(upstream, u.kind().name(),
          message.contains(upstream) ? message : "upstream '" + upstream + "' failed: " + message);
    }
    // not an UpstreamException: its message is not vetted for secrets, so the client gets a generic answer
    LOG.warn("the client of upstream '{}' failed outside its contract", upstream, cause);
    return failure(upstream, "UNAVAILABLE", "upstream '" + upstream + "' failed (internal client error)");
  }

  private static RpcException failure(String upstream, String kind, String message) {
    ObjectNode data = JsonRpc.MAPPER.createObjectNode().put("upstream", upstream).put("kind", kind);
    return new RpcException(RpcException.INTERNAL_ERROR, message, data);
  }

  private static String describe(Throwable t) {
    // the exception's own message only: class names and stack traces stay out of client answers
    return t == null || t.getMessage() == null ? "unknown error" : t.getMessage();
  }
}
