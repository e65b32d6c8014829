package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamHealth;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream pool double whose upstreams answer through a script: each request goes to a {@link Handler} that may
 * send notifications to the session's listener first, answer, fail, throw, or never answer. Every request is
 * recorded with its params. The real clients are exercised by the end-to-end tests.
 */
public final class ScriptedUpstreams implements UpstreamPool {

  /** How one upstream answers a request. */
  @FunctionalInterface
  public interface Handler {
    CompletableFuture<JsonNode> handle(Upstream upstream, String method, ObjectNode params);
  }

  /** A request as the upstream received it. */
  public record Received(String gatewayId, String method, ObjectNode params, RequestOptions options) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> getThrows = new ConcurrentHashMap<>();
  /** Sessions opened per downstream client, in order, with the initialize params they were opened with. */
  public final List<Upstream> opened = new CopyOnWriteArrayList<>();
  private volatile RuntimeException openThrows;

  /** Adds a connected upstream; connect it through the pool under test to install the listener. */
  public Upstream add(String gatewayId, String name, Handler handler) {
    Upstream u = new Upstream(gatewayId, name, handler);
    upstreams.put(gatewayId, u);
    return u;
  }

  /** Makes {@link #get} throw for this id: a pool that fails outside its contract. */
  public void getThrows(String gatewayId, RuntimeException e) {
    getThrows.put(gatewayId, e);
  }

  @Override
  public CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener) {
    Upstream u = upstreams.get(gatewayId);
    u.setListener(listener);
    return CompletableFuture.completedFuture(u);
  }

  /** Makes {@link #openSession} throw: a pool that fails outside its contract. */
  public void openSessionThrows(RuntimeException e) {
    openThrows = e;
  }

  /** A further session with the same script as the upstream's, recorded in {@link #opened}. */
  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener) {
    if (openThrows != null) {
      throw openThrows;
    }
    Upstream shared = upstreams.get(gatewayId);
    Upstream own = new Upstream(gatewayId, shared.name, shared.handler);
    own.capabilities = shared.capabilities;
    own.initializeParams = initializeParams == null ? null : initializeParams.deepCopy();
    own.setListener(listener);
    opened.add(own);
    return CompletableFuture.completedFuture(own);
  }

  /** The same, recording the headers it was opened with ({@link Upstream#headers()}) and whom for. */
  @Override
  public CompletableFuture<UpstreamClient> openSession(String gatewayId, ObjectNode initializeParams,
      UpstreamListener listener, String owner, java.util.Map<String, String> headers) {
    CompletableFuture<UpstreamClient> f = openSession(gatewayId, initializeParams, listener);
    Upstream own = (Upstream) f.join();
    own.headers = headers;
    own.owner = owner;
    return f;
  }

  /** Closes the sessions opened for {@code owner} at {@code gatewayId}. */
  @Override
  public void closeSessionsOf(String gatewayId, String owner) {
    opened.stream().filter(u -> u.gatewayId.equals(gatewayId) && owner.equals(u.owner)).forEach(Upstream::close);
  }

  @Override
  public Optional<UpstreamClient> get(String gatewayId) {
    RuntimeException e = getThrows.get(gatewayId);
    if (e != null) {
      throw e;
    }
    return Optional.ofNullable(upstreams.get(gatewayId));
  }

  @Override
  public void disconnect(String gatewayId) {
    upstreams.remove(gatewayId);
  }

  @Override
  public void close() {
    upstreams.clear();
  }

  /** One scripted upstream session. */
  public final class Upstream implements UpstreamClient {
    private final String gatewayId;
    private final String name;
    private final Handler handler;
    private volatile UpstreamListener listener = UpstreamListener.NONE;
    private volatile ObjectNode capabilities = JsonRpc.MAPPER.createObjectNode();
    private volatile ObjectNode initializeParams;
    private volatile boolean closed;
    private volatile java.util.Map<String, String> headers;
    private volatile String owner;
    /** Notifications the gateway sent this session. */
    public final List<String> notified = new CopyOnWriteArrayList<>();

    Upstream(String gatewayId, String name, Handler handler) {
      this.gatewayId = gatewayId;
      this.name = name;
      this.handler = handler;
    }

    /** The server capabilities its initialize result declares. */
    public Upstream capabilities(String json) {
      try {
        capabilities = (ObjectNode) JsonRpc.MAPPER.readTree(json);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
      return this;
    }

    /** The initialize params a session opened for a downstream client was given ({@code null} for the shared one). */
    public ObjectNode initializeParams() {
      return initializeParams;
    }

    /** The headers a session opened with a caller's own credential was given ({@code null}: the registration's). */
    public java.util.Map<String, String> headers() {
      return headers;
    }

    public boolean isClosed() {
      return closed;
    }

    /** What the session's listener receives as a server-to-client request. */
    public CompletableFuture<JsonNode> requestListener(String method, ObjectNode params) {
      return listener.onRequest(method, params);
    }

    /** What the upstream's listener (the pool's wrapper, then the registry's) receives. */
    public void notifyListener(String method, ObjectNode params) {
      listener.onNotification(method, params);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<ObjectNode> connect() {
      return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
    }

    @Override
    public CompletableFuture<JsonNode> request(String method, ObjectNode params, RequestOptions options) {
      received.add(new Received(gatewayId, method, params.deepCopy(), options));
      return handler.handle(this, method, params);
    }

    @Override
    public void notify(String method, ObjectNode params) {
      notified.add(method);
    }

    @Override
    public void setListener(UpstreamListener l) {
      listener = l;
    }

    @Override
    public ObjectNode initializeResult() {
      ObjectNode result = JsonRpc.MAPPER.createObjectNode();
      result.set("capabilities", capabilities);
      return result;
    }

    @Override
    public UpstreamHealth health() {
      return new UpstreamHealth(!closed, "CLOSED", null, null);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
