package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.upstream.UserCredentials;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An upstream pool whose sessions deliver progress for the gateway's own progress tokens to the downstream request
 * that asked for it; every other notification and request goes to the listener the registry connected with. Wrap
 * the pool once, before the registry and the endpoints get it, so that every session is routed.
 */
public final class RoutingUpstreamPool implements UpstreamPool {
  private final UpstreamPool delegate;
  private final ProgressRouter progress = new ProgressRouter();
  private final UserCredentials credentials;

  private RoutingUpstreamPool(UpstreamPool delegate, UserCredentials credentials) {
    this.delegate = delegate;
    this.credentials = credentials;
  }

  /** {@code pool} with progress routing ({@code pool} itself when it already routes). */
  public static RoutingUpstreamPool wrap(UpstreamPool pool) {
    return wrap(pool, UserCredentials.NONE);
  }

  /**
   * The same, whose dispatcher takes each caller's own credential for the upstreams {@code credentials} names (ADR
   * 0018); {@code pool} itself when it already routes.
   */
  public static RoutingUpstreamPool wrap(UpstreamPool pool, UserCredentials credentials) {
    return pool instanceof RoutingUpstreamPool r ? r
        : new RoutingUpstreamPool(pool, java.util.Objects.requireNonNull(credentials, "credentials"));
  }

  /** The credential vault the dispatcher asks for per-user upstreams ({@link UserCredentials#NONE}: none). */
  public UserCredentials credentials() {
    return credentials;
  }

  public ProgressRouter progress() {
    return progress;
  }

  @Override
  public CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener) {
    UpstreamListener registry = listener == null ? UpstreamListener.NONE : listener;
    return delegate.connect(gatewayId, spec, new UpstreamListener() {
      @Override
      public void onNotification(String method, ObjectNode params) {
        if ("notifications/progress".equals(method) && progress.route(params)) {
          return;
        }
        registry.onNotification(method, params);
      }

      @Override
      public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
        return registry.onRequest(method, params);
      }
    });
  }

  /** Sessions per downstream client route their notifications through the listener their opener gives. */
  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener) {
    return delegate.openSession(gatewayId, initializeParams, listener);
  }

  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner) {
    return delegate.openSession(gatewayId, initializeParams, listener, owner);
  }

  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner, java.util.Map<String, String> headers) {
    return delegate.openSession(gatewayId, initializeParams, listener, owner, headers);
  }

  @Override
  public void closeSessionsOf(String gatewayId, String owner) {
    delegate.closeSessionsOf(gatewayId, owner);
  }

  @Override
  public Optional<UpstreamClient> get(String gatewayId) {
    return delegate.get(gatewayId);
  }

  @Override
  public Optional<UpstreamClient> usable(String gatewayId) {
    return delegate.usable(gatewayId);
  }

  @Override
  public String circuitState(String gatewayId) {
    return delegate.circuitState(gatewayId);
  }

  @Override
  public void disconnect(String gatewayId) {
    delegate.disconnect(gatewayId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
