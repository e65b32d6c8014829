package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UpstreamClient} over any {@link MessageTransport}: the handshake, requests through the upstream's
 * {@link Resilience}, and the session's end.
 */
final class TransportClient implements UpstreamClient {
  private static final Logger LOG = LoggerFactory.getLogger(TransportClient.class);
  /** Newest first: what we ask for, then what we accept when the server answers with another version. */
  static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

  private final String name;
  private final MessageTransport transport;
  private final JsonRpcPeer peer;
  private final Resilience resilience;
  private final UpstreamSettings settings;
  private final ExecutorService sender;
  private final ObjectNode initializeParams;
  private final Runnable onClose;
  private final UpstreamTarget target;
  private final RequestTracer tracer;
  private volatile ObjectNode initializeResult;
  private volatile String protocolVersion;
  private volatile boolean closed;

  /**
   * @param sender runs the transport's sends; owned by this client and shut down on close
   * @param initializeParams the {@code initialize} params to send (capabilities and client info)
   * @param onClose runs once when the session is closed
   * @param target where the upstream lives, for the CLIENT spans {@code tracer} starts
   */
  TransportClient(String name, MessageTransport transport, Resilience resilience, UpstreamSettings settings,
      ExecutorService sender, java.util.concurrent.ScheduledExecutorService timer, ObjectNode initializeParams,
      Runnable onClose, UpstreamTarget target, RequestTracer tracer) {
    this.name = name;
    this.target = target;
    this.tracer = tracer;
    this.transport = transport;
    this.resilience = resilience;
    this.settings = settings;
    this.sender = sender;
    this.initializeParams = initializeParams;
    this.onClose = onClose;
    this.peer = new JsonRpcPeer(name, transport, sender, timer);
  }

  /** The {@code initialize} params the gateway sends on its own behalf: no client capabilities to offer. */
  static ObjectNode defaultInitializeParams() {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("protocolVersion", PROTOCOL_VERSIONS.get(0));
    params.putObject("capabilities");
    String version = TransportClient.class.getPackage().getImplementationVersion();
    params.putObject("clientInfo").put("name", "mcpgw").put("version", version == null ? "dev" : version);
    return params;
  }

  /**
   * The {@code initialize} params of the registry's shared session (discovery, and calls of clients that need no
   * session of their own): the gateway's identity and the client capabilities it can relay to the downstream clients
   * that declare them ({@code sampling}, {@code elicitation}, {@code roots} with {@code listChanged}). An upstream
   * that offers some tools only to a client with a capability (server-everything's {@code trigger-sampling-request},
   * {@code trigger-elicitation-request}, {@code get-roots-list}) lists them to the registry, so the catalog has them.
   * A call of such a tool runs on the session of the client that makes it: its own, opened with its own capabilities
   * when it declared any; the shared one otherwise, where the gateway answers the upstream's request on the client's
   * behalf with {@code -32601}. What comes on the shared session outside any call is answered by
   * {@link SharedSessionRequests}.
   */
  static ObjectNode registryInitializeParams() {
    ObjectNode params = defaultInitializeParams();
    ObjectNode capabilities = params.putObject("capabilities");
    capabilities.putObject("sampling");
    capabilities.putObject("elicitation");
    capabilities.putObject("roots").put("listChanged", true);
    return params;
  }

  /**
   * A downstream client's {@code initialize} params to send on its behalf: unchanged, except that a protocol version
   * the gateway does not speak becomes the newest one it does, and missing members get the gateway's defaults.
   */
  static ObjectNode initializeParamsFor(ObjectNode downstream) {
    ObjectNode params = downstream == null ? JsonNodeFactory.instance.objectNode() : downstream.deepCopy();
    ObjectNode defaults = defaultInitializeParams();
    if (!PROTOCOL_VERSIONS.contains(params.path("protocolVersion").asText())) {
      params.put("protocolVersion", PROTOCOL_VERSIONS.get(0));
    }
    if (!params.path("capabilities").isObject()) {
      params.set("capabilities", defaults.get("capabilities"));
    }
    if (!params.path("clientInfo").isObject()) {
      params.set("clientInfo", defaults.get("clientInfo"));
    }
    return params;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<ObjectNode> connect() {
    Duration timeout = settings.connectTimeout();
    TracedRequest trace = tracer.start(target, "initialize", initializeParams, null, null);
    // the trace context is put in here, on the caller's thread; the handshake runs on its own
    ObjectNode params = transport.metaCarriesContext(initializeParams) ? trace.params(initializeParams)
        : initializeParams;
    ObjectNode sent = params == initializeParams ? initializeParams.deepCopy() : params;
    Map<String, String> headers = trace.headers(Map.of());
    return trace.around(resilience.call("initialize", timeout, false, trace, deadline -> {
      CompletableFuture<ObjectNode> done = new CompletableFuture<>();
      Thread.ofVirtual().name("mcpgw-connect-" + name)
          .start(() -> handshake(deadline, timeout, sent, headers, trace, done));
      return done;
    }), resilience::state);
  }

  private void handshake(long deadline, Duration timeout, ObjectNode params, Map<String, String> headers,
      TracedRequest trace, CompletableFuture<ObjectNode> done) {
    try {
      transport.start(peer);
      JsonNode result = peer.request("initialize", params, deadline, timeout, headers, null, trace::sent)
          .get(Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
      if (!(result instanceof ObjectNode init)) {
        throw UpstreamErrors.protocol(name, "answered initialize with a result that is not an object");
      }
      String version = init.path("protocolVersion").asText("");
      if (!PROTOCOL_VERSIONS.contains(version)) {
        throw UpstreamErrors.protocol(name, "speaks MCP protocol version '" + version + "', which the gateway does not");
      }
      protocolVersion = version;
      transport.initialized(version);
      peer.sendNow(JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0")
          .put("method", "notifications/initialized"));
      initializeResult = init;
      done.complete(init);
    } catch (java.util.concurrent.ExecutionException e) {
      done.completeExceptionally(Resilience.unwrap(e.getCause()));
    } catch (java.util.concurrent.TimeoutException e) {
      done.completeExceptionally(UpstreamErrors.timeout(name, "initialize", timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(UpstreamErrors.unavailable(name, "was not connected: interrupted"));
    } catch (UpstreamException e) {
      done.completeExceptionally(e);
    } catch (RuntimeException e) {
      done.completeExceptionally(UpstreamErrors.unavailable(name, "could not be connected: "
          + UpstreamErrors.describe(e), e));
    }
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, ObjectNode params, RequestOptions options) {
    if (closed) {
      return CompletableFuture.failedFuture(UpstreamErrors.unavailable(name, "session is closed"));
    }
    TracedRequest trace = tracer.start(target, method, params, transport.sessionId(), protocolVersion);
    ObjectNode sent = transport.metaCarriesContext(params) ? trace.params(params) : params;
    Map<String, String> headers = trace.headers(options.headers());
    return trace.around(resilience.call(method, options.timeout(), options.retryable(), trace,
        deadline -> peer.request(method, sent, deadline, options.timeout(), headers, options.listener(), trace::sent)),
        resilience::state);
  }

  @Override
  public void notify(String method, ObjectNode params) {
    if (!closed) {
      peer.notify(method, params);
    }
  }

  @Override
  public void setListener(UpstreamListener listener) {
    peer.setListener(listener);
  }

  @Override
  public ObjectNode initializeResult() {
    return initializeResult;
  }

  @Override
  public UpstreamHealth health() {
    UpstreamException broken = peer.closedCause();
    boolean connected = !closed && broken == null && initializeResult != null && transport.isOpen();
    String lastError = resilience.lastError();
    if (broken != null && lastError == null) {
      lastError = broken.getMessage();
    }
    return new UpstreamHealth(connected, resilience.state(), lastError, resilience.lastErrorAt());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    transport.close();
    peer.closed(UpstreamErrors.unavailable(name, "session is closed"));
    sender.shutdown();
    try {
      if (!sender.awaitTermination(1, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
    LOG.debug("upstream '{}': session closed", name);
    try {
      onClose.run();
    } catch (RuntimeException e) {
      LOG.warn("upstream '{}': clean-up after close failed: {}", name, e.toString());
    }
  }
}
