package dev.mcpgw.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.MessageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream that speaks the stateless MCP revision 2026-07-28 over Streamable HTTP: no {@code initialize} and no
 * session; every request is one POST that carries the revision, the client capabilities and the client info in
 * {@code params._meta} (members already there, such as a downstream client's own capabilities, are kept) and the
 * headers SEP-2243 asks for ({@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, and
 * {@code Mcp-Param-*} for tool parameters marked {@code x-mcp-header}, learnt from the {@code tools/list} answers
 * that pass through). "Connecting" is {@code server/discover}; its answer stands in for an initialize result
 * ({@code protocolVersion}, {@code capabilities}, {@code serverInfo}), so the rest of the gateway needs no second
 * path. Trace context goes into {@code _meta} (SEP-414) and the headers.
 *
 * <p>Results pass through untouched, an {@code InputRequiredResult} included: a stateless client of the gateway
 * answers it and retries, and the retry (with its {@code inputResponses} and {@code requestState}) goes upstream like
 * any request. Notifications on a response's SSE stream go to the request's listener, else the client's; the list
 * changes the upstream announces come on a {@code subscriptions/listen} stream the client keeps open.
 */
final class StatelessHttpClient implements UpstreamClient {
  /** The revision this client speaks. */
  static final String VERSION = "2026-07-28";
  static final String META_PREFIX = "io.modelcontextprotocol/";
  private static final Logger LOG = LoggerFactory.getLogger(StatelessHttpClient.class);
  private static final Map<String, String> NAME_MEMBER = Map.of("tools/call", "name", "prompts/get", "name",
      "resources/read", "uri");

  private final String name;
  private final URI url;
  private final UpstreamHttp http;
  private final Resilience resilience;
  private final UpstreamSettings settings;
  private final Runnable onClose;
  private final UpstreamTarget target;
  private final RequestTracer tracer;
  private final AtomicLong ids = new AtomicLong();
  /** Per tool (its upstream name): parameter name to the header suffix of its {@code x-mcp-header}. */
  private final Map<String, Map<String, String>> paramHeaders = new ConcurrentHashMap<>();
  private volatile UpstreamListener listener = UpstreamListener.NONE;
  private volatile ObjectNode initializeResult;
  private volatile boolean closed;
  /** Completing it ends the {@code subscriptions/listen} exchange under way. */
  private volatile CompletableFuture<Void> listening;

  /** The capabilities and identity a request's {@code _meta} gets when it carries none of its own. */
  private final ObjectNode defaults;
  private final boolean listens;

  /**
   * @param initializeParams the {@code initialize} params the gateway would send a session upstream (its own, or a
   *     downstream client's for that client's dedicated upstream): their {@code capabilities} and {@code clientInfo}
   *     become the defaults of every request's {@code _meta}
   * @param listens whether to keep a {@code subscriptions/listen} stream for the upstream's list changes (the
   *     registry's client does; one opened for a single downstream client has no use for them)
   */
  StatelessHttpClient(String name, URI url, UpstreamHttp http, Resilience resilience, UpstreamSettings settings,
      ObjectNode initializeParams, boolean listens, Runnable onClose, UpstreamTarget target, RequestTracer tracer) {
    this.listens = listens;
    this.defaults = JsonNodeFactory.instance.objectNode();
    if (initializeParams != null && initializeParams.path("capabilities").isObject()) {
      defaults.set(META_PREFIX + "clientCapabilities", initializeParams.get("capabilities").deepCopy());
    }
    if (initializeParams != null && initializeParams.path("clientInfo").isObject()) {
      defaults.set(META_PREFIX + "clientInfo", initializeParams.get("clientInfo").deepCopy());
    }
    this.name = name;
    this.url = url;
    this.http = http;
    this.resilience = resilience;
    this.settings = settings;
    this.onClose = onClose;
    this.target = target;
    this.tracer = tracer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<ObjectNode> connect() {
    return request("server/discover", JsonNodeFactory.instance.objectNode(),
        RequestOptions.idempotent(settings.connectTimeout())).thenApply(result -> {
          if (!(result instanceof ObjectNode discovered)) {
            throw UpstreamErrors.protocol(name, "answered server/discover with a result that is not an object");
          }
          boolean speaks = false;
          for (JsonNode v : discovered.path("supportedVersions")) {
            speaks |= VERSION.equals(v.asText());
          }
          if (!speaks) {
            throw UpstreamErrors.protocol(name, "does not list MCP protocol version " + VERSION
                + " in server/discover");
          }
          ObjectNode init = JsonNodeFactory.instance.objectNode().put("protocolVersion", VERSION);
          init.set("capabilities", discovered.path("capabilities").isObject() ? discovered.get("capabilities")
              : JsonNodeFactory.instance.objectNode());
          JsonNode info = discovered.path("_meta").path(META_PREFIX + "serverInfo");
          init.set("serverInfo", info.isObject() ? info : discovered.path("serverInfo").isObject()
              ? discovered.get("serverInfo") : JsonNodeFactory.instance.objectNode().put("name", name));
          if (discovered.path("instructions").isTextual()) {
            init.set("instructions", discovered.get("instructions"));
          }
          initializeResult = init;
          if (listens) {
            listen(init.get("capabilities"));
          }
          return init;
        });
  }

  /**
   * Keeps a {@code subscriptions/listen} stream open for the list changes the upstream announces it can tell, and
   * hands them to the listener (so the registry rediscovers the upstream as it does for a session's notifications).
   * A stream that ends is opened again after a pause that doubles up to 30 s; an upstream that answers without a
   * stream (no such method) is not asked again.
   */
  private void listen(JsonNode capabilities) {
    ObjectNode filter = JsonNodeFactory.instance.objectNode();
    for (String kind : new String[] {"tools", "prompts", "resources"}) {
      if (capabilities.path(kind).path("listChanged").asBoolean(false)) {
        filter.put(kind + "ListChanged", true);
      }
    }
    if (filter.isEmpty()) {
      return;
    }
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.set("notifications", filter);
    Thread.ofVirtual().name("mcpgw-listen-" + name).start(() -> {
      long pause = 500;
      while (!closed) {
        CompletableFuture<Void> abandon = new CompletableFuture<>();
        listening = abandon;
        try {
          ObjectNode message = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0")
              .put("id", ids.incrementAndGet()).put("method", "subscriptions/listen");
          message.set("params", withMeta(params));
          UpstreamRequest request = http.request(url, Map.of("Mcp-Method", "subscriptions/listen"))
              .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
              .header("MCP-Protocol-Version", VERSION)
              .post(MessageJson.MAPPER.writeValueAsBytes(message));
          UpstreamResponse response = http.send(request, "subscriptions/listen", abandon);
          if (!UpstreamHttp.isEventStream(response)) {
            UpstreamHttp.discard(response);
            LOG.info("upstream '{}' keeps no subscriptions/listen stream (HTTP {}): its list changes are seen on "
                + "refresh only", name, response.status());
            return;
          }
          try (InputStream in = response.body()) {
            SseReader reader = new SseReader(in);
            for (SseReader.Event event = reader.next(); event != null && !closed; event = reader.next()) {
              JsonNode m = MessageJson.MAPPER.readTree(event.data());
              String method = m == null ? "" : m.path("method").asText("");
              if (method.equals("notifications/subscriptions/acknowledged")) {
                pause = 500;
              } else if (method.startsWith("notifications/") && !m.has("id")) {
                listener.onNotification(method, m.get("params") instanceof ObjectNode p ? p
                    : JsonNodeFactory.instance.objectNode());
              }
            }
          }
        } catch (IOException | RuntimeException e) {
          if (!closed) {
            LOG.debug("upstream '{}': the subscriptions/listen stream ended: {}", name, e.toString());
          }
        } finally {
          abandon.complete(null);
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          return;
        }
        pause = Math.min(pause * 2, 30_000);
      }
    });
  }

  @Override
  public CompletableFuture<JsonNode> request(String method, ObjectNode params, RequestOptions options) {
    if (closed) {
      return CompletableFuture.failedFuture(UpstreamErrors.unavailable(name, "client is closed"));
    }
    ObjectNode withMeta = withMeta(params);
    TracedRequest trace = tracer.start(target, method, withMeta, null, VERSION);
    ObjectNode sent = trace.params(withMeta);
    Map<String, String> headers = new HashMap<>(trace.headers(options.headers()));
    headers.putAll(mirrored(method, sent));
    UpstreamListener own = options.listener();
    CompletableFuture<JsonNode> call = trace.around(resilience.call(method, options.timeout(), options.retryable(),
        trace, deadline -> exchange(method, sent, headers, deadline, own, trace)), resilience::state);
    if (method.equals("tools/list")) {
      return call.thenApply(this::learnParamHeaders);
    }
    return call;
  }

  /** {@code params} with the revision's {@code _meta} members it lacks. */
  private ObjectNode withMeta(ObjectNode params) {
    ObjectNode copy = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
    ObjectNode meta = copy.get("_meta") instanceof ObjectNode m ? m : copy.putObject("_meta");
    meta.put(META_PREFIX + "protocolVersion", VERSION);
    defaults.fields().forEachRemaining(d -> {
      if (!meta.path(d.getKey()).isObject()) {
        meta.set(d.getKey(), d.getValue().deepCopy());
      }
    });
    if (!meta.path(META_PREFIX + "clientCapabilities").isObject()) {
      meta.putObject(META_PREFIX + "clientCapabilities");
    }
    if (!meta.path(META_PREFIX + "clientInfo").isObject()) {
      String version = StatelessHttpClient.class.getPackage().getImplementationVersion();
      meta.putObject(META_PREFIX + "clientInfo").put("name", "mcpgw").put("version", version == null ? "dev" : version);
    }
    return copy;
  }

  /** The headers that mirror the body (SEP-2243). */
  private Map<String, String> mirrored(String method, ObjectNode params) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Mcp-Method", method);
    String member = NAME_MEMBER.get(method);
    if (member != null && params.path(member).isTextual()) {
      headers.put("Mcp-Name", headerValue(params.get(member).textValue()));
    }
    if (method.equals("tools/call")) {
      Map<String, String> marked = paramHeaders.getOrDefault(params.path("name").asText(), Map.of());
      JsonNode arguments = params.path("arguments");
      marked.forEach((param, suffix) -> {
        JsonNode value = arguments.get(param);
        if (value != null && !value.isNull() && !value.isContainerNode()) {
          headers.put("Mcp-Param-" + suffix, headerValue(value.asText()));
        }
      });
    }
    return headers;
  }

  /** A value as it may travel in a header: as it is when plain printable ASCII, else {@code =?base64?...?=}. */
  static String headerValue(String value) {
    boolean plain = !value.isEmpty() && value.strip().equals(value) && !value.startsWith("=?base64?");
    for (int i = 0; plain && i < value.length(); i++) {
      char c = value.charAt(i);
      plain = c >= 0x20 && c < 0x7f;
    }
    return plain ? value
        : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  private JsonNode learnParamHeaders(JsonNode result) {
    for (JsonNode tool : result.path("tools")) {
      Map<String, String> marked = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = tool.path("inputSchema").path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        JsonNode suffix = p.getValue().get("x-mcp-header");
        if (suffix != null && suffix.isTextual() && !suffix.textValue().isBlank()) {
          marked.put(p.getKey(), suffix.textValue());
        }
      }
      String tname = tool.path("name").asText();
      if (marked.isEmpty()) {
        paramHeaders.remove(tname);
      } else {
        paramHeaders.put(tname, Map.copyOf(marked));
      }
    }
    return result;
  }

  /** One POST: its JSON answer, or the answer on its SSE stream after the notifications before it. */
  private CompletableFuture<JsonNode> exchange(String method, ObjectNode params, Map<String, String> headers,
      long deadline, UpstreamListener own, TracedRequest trace) {
    CompletableFuture<JsonNode> done = new CompletableFuture<>();
    long id = ids.incrementAndGet();
    ObjectNode message = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").put("id", id)
        .put("method", method);
    message.set("params", params);
    Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    Thread.ofVirtual().name("mcpgw-stateless-" + name).start(() -> {
      try {
        UpstreamRequest request = http.request(url, headers)
            .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", VERSION)
            .post(MessageJson.MAPPER.writeValueAsBytes(message));
        trace.sent(id);
        UpstreamResponse response = http.send(request, method, done, left);
        if (UpstreamHttp.isEventStream(response)) {
          readStream(method, id, response, own, done);
        } else {
          JsonNode body = UpstreamHttp.jsonRpcBody(response);
          if (body == null) {
            throw response.status() >= 400 ? http.statusError(method, response.status())
                : UpstreamErrors.protocol(name, "answered " + method + " without a JSON-RPC message");
          }
          settle(method, body, done);
        }
      } catch (UpstreamException e) {
        done.completeExceptionally(e);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(UpstreamErrors.unavailable(name, "did not answer " + method + ": "
            + UpstreamErrors.describe(e), e));
      }
    });
    return done;
  }

  private void readStream(String method, long id, UpstreamResponse response, UpstreamListener own,
      CompletableFuture<JsonNode> done) throws IOException {
    try (InputStream in = response.body()) {
      SseReader reader = new SseReader(in);
      for (SseReader.Event event = reader.next(); event != null && !done.isDone(); event = reader.next()) {
        JsonNode m = MessageJson.MAPPER.readTree(event.data());
        if (m == null || !m.isObject()) {
          continue;
        }
        if (m.has("method") && !m.has("id")) {
          UpstreamListener to = own != null ? own : listener;
          try {
            to.onNotification(m.get("method").asText(), m.get("params") instanceof ObjectNode p ? p
                : JsonNodeFactory.instance.objectNode());
          } catch (RuntimeException e) {
            LOG.warn("upstream '{}': a notification listener failed: {}", name, e.toString());
          }
        } else if (!m.has("method") && m.path("id").asLong(-1) == id) {
          settle(method, m, done);
          return;
        }
        // a server-to-client request has no place in this revision (MRTR replaces it): ignored
      }
    }
    if (!done.isDone()) {
      done.completeExceptionally(UpstreamErrors.unavailable(name, "ended the stream of " + method
          + " without answering it"));
    }
  }

  private void settle(String method, JsonNode response, CompletableFuture<JsonNode> done) {
    JsonNode error = response.get("error");
    if (error != null && error.isObject()) {
      done.completeExceptionally(UpstreamErrors.rpcError(name, method, error));
    } else if (response.has("result")) {
      done.complete(response.get("result"));
    } else {
      done.completeExceptionally(UpstreamErrors.protocol(name, "answered " + method + " with neither result nor "
          + "error"));
    }
  }

  @Override
  public void notify(String method, ObjectNode params) {
    // notifications of this revision (cancellation) have no request to belong to here: nothing to send
  }

  @Override
  public void setListener(UpstreamListener listener) {
    this.listener = listener == null ? UpstreamListener.NONE : listener;
  }

  @Override
  public ObjectNode initializeResult() {
    return initializeResult;
  }

  @Override
  public UpstreamHealth health() {
    return new UpstreamHealth(!closed && initializeResult != null, resilience.state(), resilience.lastError(),
        resilience.lastErrorAt());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> stream = listening;
    if (stream != null) {
      stream.completeExceptionally(UpstreamErrors.unavailable(name, "client is closed"));
    }
    try {
      onClose.run();
    } catch (RuntimeException e) {
      LOG.warn("upstream '{}': clean-up after close failed: {}", name, e.toString());
    }
  }
}
