package dev.mcpgw.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.catalog.Catalog;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.upstream.UpstreamSettings;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Answers the MCP methods the gateway serves downstream. {@link #dispatch} is the single point every client message
 * passes through, whatever its transport: the place for the MCP SERVER span. It never throws: every failure becomes a
 * JSON-RPC error answer, and nothing about the gateway's internals (stack traces, class names) reaches the client.
 */
public final class McpDispatcher implements MessageDispatch, SessionLifecycle {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(McpDispatcher.class));
  private static final String SERVER_NAME = "mcpgw";

  private final ToolMethods tools;
  private final ResourceMethods resources;
  private final PromptMethods prompts;
  private final CompletionMethods completions;
  private final ObjectNode serverInfo;
  private final InFlightCalls inFlight;
  private final ClientSessions clients;
  private final SessionMethods sessionMethods;
  private final RevokedUpstreams revoked;

  private McpDispatcher(ToolMethods tools, ResourceMethods resources, PromptMethods prompts,
      CompletionMethods completions, ObjectNode serverInfo, InFlightCalls inFlight, ClientSessions clients,
      SessionMethods sessionMethods) {
    this.inFlight = inFlight;
    this.clients = clients;
    this.sessionMethods = sessionMethods;
    this.revoked = new RevokedUpstreams(sessionMethods.catalog(), clients);
    this.tools = tools;
    this.resources = resources;
    this.prompts = prompts;
    this.completions = completions;
    this.serverInfo = serverInfo;
  }

  /**
   * How often a client waiting for an upstream is checked to be still there, by default: as often as the endpoints
   * keep its stream alive ({@code McpSettings.DEFAULT_KEEP_ALIVE_INTERVAL} is this value).
   */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(15);

  /** A dispatcher over {@code catalog}, {@code pool} and {@code plugins}; the rest has production's defaults. */
  public static Builder builder(Catalog catalog, UpstreamPool pool, PluginChain plugins) {
    return new Builder(catalog, pool, plugins);
  }

  /** What a dispatcher is made of; every setting not given keeps the default production uses. */
  public static final class Builder {
    private final Catalog catalog;
    private final UpstreamPool pool;
    private final PluginChain plugins;
    private Duration requestTimeout = UpstreamSettings.DEFAULTS.requestTimeout();
    private ProgressRouter progress;
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private ForwardTracing forwarding = ForwardTracing.NONE;
    private dev.mcpgw.gateway.usage.Metering metering = dev.mcpgw.gateway.usage.Metering.NONE;

    private Builder(Catalog catalog, UpstreamPool pool, PluginChain plugins) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      this.pool = Objects.requireNonNull(pool, "pool");
      this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /** How long a forwarded request may take (default: the upstream request timeout's default). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "requestTimeout");
      return this;
    }

    /**
     * Where upstream progress is routed back, or {@code null} (the default) when the pool does not deliver it (the
     * client's progress token is then forwarded unchanged).
     */
    public Builder progress(ProgressRouter router) {
      this.progress = router;
      return this;
    }

    /** How often a client waiting for an upstream is checked to be still there. */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = Objects.requireNonNull(interval, "probeInterval");
      return this;
    }

    /** Wraps each call forwarded to an upstream (the {@code gateway.forward} span); none by default. */
    public Builder forwarding(ForwardTracing tracing) {
      this.forwarding = Objects.requireNonNull(tracing, "forwarding");
      return this;
    }

    /** Checks quotas before each {@code tools/call} is forwarded and accounts it after; none by default. */
    public Builder metering(dev.mcpgw.gateway.usage.Metering metering) {
      this.metering = Objects.requireNonNull(metering, "metering");
      return this;
    }

    public McpDispatcher build() {
      return create(catalog, pool, plugins, requestTimeout, progress, probeInterval, forwarding, metering);
    }
  }

  private static McpDispatcher create(Catalog catalog, UpstreamPool pool, PluginChain plugins, Duration requestTimeout,
      ProgressRouter progress, Duration probeInterval, ForwardTracing forwarding,
      dev.mcpgw.gateway.usage.Metering metering) {
    Hooks hooks = new Hooks(plugins);
    InFlightCalls inFlight = new InFlightCalls();
    ClientSessions clients = new ClientSessions(pool, progress, requestTimeout, forwarding);
    UpstreamForwarder forwarder = new UpstreamForwarder(clients, progress, requestTimeout, inFlight, probeInterval,
        forwarding);
    String version = McpDispatcher.class.getPackage().getImplementationVersion();
    ObjectNode info = JsonRpc.MAPPER.createObjectNode().put("name", SERVER_NAME).put("title", "MCP Gateway")
        .put("version", version == null ? "dev" : version);
    return new McpDispatcher(new ToolMethods(catalog, hooks, forwarder, metering), new ResourceMethods(catalog, hooks, forwarder),
        new PromptMethods(catalog, hooks, forwarder), new CompletionMethods(catalog, forwarder), info, inFlight,
        clients, new SessionMethods(catalog, pool, clients, forwarder));
  }

  @Override
  public void sessionStarted(String sessionId, Scope scope, ObjectNode initializeParams, Downstream outlet) {
    clients.start(Objects.requireNonNull(sessionId, "sessionId"), Objects.requireNonNull(scope, "scope"),
        initializeParams == null ? null : initializeParams.deepCopy(), outlet);
  }

  /** Its waiting server-to-client requests fail and its upstream sessions close. */
  @Override
  public void sessionEnded(String sessionId) {
    try {
      clients.end(sessionId);
    } catch (RuntimeException e) {
      LOG.warn("cleaning up session state failed", e);
    }
  }

  /**
   * Closes the upstream sessions clients hold at upstreams that left their scope (made private, unshared, deleted), so
   * that those upstreams' notifications stop reaching them; run it after registry changes (the endpoints run it with
   * every list-changed round). Never throws.
   */
  public void closeRevokedUpstreams() {
    try {
      revoked.sweep();
    } catch (RuntimeException e) {
      LOG.warn("closing upstream sessions that left their client's scope failed; the next round retries", e);
    }
  }

  /** How many downstream sessions the dispatcher keeps state for (0 when every session ended). */
  public int clientSessions() {
    return clients.size();
  }

  /** How many server-to-client requests wait for a client's answer (0 when idle). */
  public int pendingServerRequests() {
    return clients.pendingServerRequests();
  }

  /**
   * Handles one message whose envelope {@link JsonRpc#classify} accepted.
   *
   * @return the response for a request; {@code null} for a notification or a client's response
   */
  @Override
  public ObjectNode dispatch(ObjectNode message, Exchange exchange) {
    JsonNode id = message.get("id");
    JsonNode methodNode = message.get("method");
    if (methodNode == null) {
      // a client's answer to a server-to-client request
      try {
        clients.answer(exchange.sessionId(), message);
      } catch (RuntimeException e) {
        LOG.warn("relaying a client's answer failed inside the gateway (request id {})", exchange.requestId(), e);
      }
      return null;
    }
    String method = methodNode.asText();
    ObjectNode params = message.get("params") instanceof ObjectNode p ? p : JsonRpc.MAPPER.createObjectNode();
    if (id == null) {
      try {
        switch (method) {
          case "notifications/cancelled" -> inFlight.cancel(exchange.sessionId(), params.get("requestId"));
          case "notifications/roots/list_changed" -> clients.rootsChanged(exchange.sessionId(), params);
          // initialized, progress: nothing the gateway acts on
          default -> { }
        }
      } catch (RuntimeException e) {
        LOG.warn("MCP {} failed inside the gateway (request id {})", method, exchange.requestId(), e);
      }
      return null;
    }
    try {
      return JsonRpc.result(id, answer(method, params, exchange.forRequest(id)));
    } catch (RpcException e) {
      return e.relayedError() != null ? JsonRpc.error(id, e.relayedError()) : JsonRpc.error(id, e);
    } catch (RuntimeException e) {
      LOG.warn("MCP {} failed inside the gateway (request id {})", method, exchange.requestId(), e);
      return JsonRpc.error(id, RpcException.INTERNAL_ERROR, "internal error; request id " + exchange.requestId(), null);
    }
  }

  /** How many forwarded calls are running (0 when idle: nothing leaks). */
  public int callsInFlight() {
    return inFlight.size();
  }

  private JsonNode answer(String method, ObjectNode params, Exchange exchange) {
    return switch (method) {
      case "initialize" -> initialize(params, exchange);
      case "server/discover" -> discover();
      case "ping" -> JsonRpc.MAPPER.createObjectNode();
      case "tools/list" -> tools.list(params, exchange);
      case "tools/call" -> tools.call(params, exchange);
      case "resources/list" -> resources.list(params, exchange);
      case "resources/templates/list" -> resources.templates(params, exchange);
      case "resources/read" -> resources.read(params, exchange);
      case "prompts/list" -> prompts.list(params, exchange);
      case "prompts/get" -> prompts.get(params, exchange);
      case "completion/complete" -> completions.complete(params, exchange);
      case "logging/setLevel" -> sessionMethods.setLevel(params, exchange);
      case "resources/subscribe" -> sessionMethods.subscribe(params, exchange);
      case "resources/unsubscribe" -> sessionMethods.unsubscribe(params, exchange);
      default -> throw RpcException.methodNotFound(method);
    };
  }

  /**
   * {@code server/discover} of the stateless revision: the revisions the gateway speaks, its capabilities (those of
   * {@code initialize}) and its identity in {@code _meta}.
   */
  private JsonNode discover() {
    ObjectNode result = JsonRpc.MAPPER.createObjectNode();
    ProtocolVersions.ALL.forEach(result.putArray("supportedVersions")::add);
    result.set("capabilities", capabilities());
    result.putObject("_meta").set("io.modelcontextprotocol/serverInfo", serverInfo);
    return result;
  }

  private static ObjectNode capabilities() {
    ObjectNode capabilities = JsonRpc.MAPPER.createObjectNode();
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
    capabilities.putObject("prompts").put("listChanged", true);
    capabilities.putObject("completions");
    capabilities.putObject("logging");
    return capabilities;
  }

  private JsonNode initialize(ObjectNode params, Exchange exchange) {
    String requested = Params.requiredString(params, "protocolVersion");
    // legacy SSE sessions exist before initialize; Streamable HTTP ones start with its answer (sessionStarted)
    clients.initialized(exchange.sessionId(), params);
    ObjectNode result = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", ProtocolVersions.negotiate(requested));
    result.set("capabilities", capabilities());
    result.set("serverInfo", serverInfo);
    return result;
  }
}
