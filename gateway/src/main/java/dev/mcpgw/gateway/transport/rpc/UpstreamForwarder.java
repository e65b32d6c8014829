package dev.mcpgw.gateway.transport.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.CatalogEntry;
import dev.mcpgw.gateway.transport.upstream.RequestOptions;
import dev.mcpgw.gateway.transport.upstream.UpstreamClient;
import dev.mcpgw.gateway.transport.upstream.UpstreamException;
import dev.mcpgw.gateway.transport.upstream.UpstreamListener;
import dev.mcpgw.gateway.transport.upstream.UpstreamPool;
import java.time.Duration;
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
  private static final RateLimitedLog LOG =
      new RateLimitedLog(org.slf4j.LoggerFactory.getLogger(UpstreamForwarder.class), Duration.ofMinutes(1));
  private final UpstreamPool pool;
  private final ProgressRouter progress;
  private final Duration timeout;
  private final InFlightCalls inFlight;
  private final Duration probeInterval;
  /**
   * The upstream client ends a call at the timeout itself (a timeout error, recorded on its span and its breaker);
   * waiting this much longer lets that answer arrive before this safety net cancels the call.
   */
  private static final long AWAIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  UpstreamForwarder(UpstreamPool pool, ProgressRouter progress, Duration timeout, InFlightCalls inFlight,
      Duration probeInterval) {
    this.pool = pool;
    this.progress = progress;
    this.timeout = timeout;
    this.inFlight = inFlight;
    this.probeInterval = probeInterval;
  }

  /** @param params the upstream request's params, built for this call (its {@code _meta} may be rewritten) */
  JsonNode forward(CatalogEntry entry, String method, ObjectNode params, Exchange exchange) {
    String upstream = entry.gatewayName() == null ? entry.gatewayId() : entry.gatewayName();
    Optional<UpstreamClient> client;
    try {
      client = pool.get(entry.gatewayId());
    } catch (RuntimeException e) {
      throw translate(upstream, e);
    }
    if (client.isEmpty()) {
      throw failure(upstream, "UNAVAILABLE", "upstream '" + upstream + "' is not connected");
    }
    ProgressRouter.Registration route = routeProgress(params, exchange);
    CompletableFuture<JsonNode> future = null;
    try {
      future = client.get().request(method, params,
          RequestOptions.call(timeout).withListener(new RequestListener(progress, exchange.downstream())));
      try (AutoCloseable tracked = inFlight.track(exchange, future)) {
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
    long deadline = System.nanoTime() + timeout.toNanos() + AWAIT_GRACE_NANOS;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return future.get(Math.min(left, probeInterval.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() < deadline && !downstream.probe()) {
          future.cancel(true);
          throw new CancellationException("the client went away");
        }
      }
    }
  }

  /**
   * Receives what the upstream client relates to this request (its Streamable HTTP stream, its progress token):
   * progress goes back with the client's token, other notifications (logging) go to the request's stream as sent.
   * Server-to-client requests are not relayed yet and get the listener's default answer.
   */
  private record RequestListener(ProgressRouter progress, Downstream downstream) implements UpstreamListener {
    @Override
    public void onNotification(String method, ObjectNode params) {
      if ("notifications/progress".equals(method) && progress != null && progress.route(params)) {
        return;
      }
      downstream.send(JsonRpc.notification(method, params));
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
    LOG.warn("the client of upstream '" + upstream + "' failed outside its contract", cause);
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
