package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.upstream.RequestOptions;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UpstreamException;
import dev.mcpgw.gateway.upstream.UpstreamHealth;
import dev.mcpgw.gateway.upstream.UpstreamListener;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.store.UpstreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the upstream pool for registry tests: upstreams are scripted by name (capabilities, list pages,
 * failures), every request is recorded. The real pool is exercised by the end-to-end tests.
 */
public final class ScriptedUpstreamPool implements UpstreamPool {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, Client> sessions = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** What one upstream (by registered name) offers and how it fails. */
  public static final class Script {
    final ObjectNode capabilities = JSON.createObjectNode();
    final Map<String, List<ArrayNode>> pages = new ConcurrentHashMap<>();
    volatile boolean unreachable;
    volatile boolean pingFails;
    volatile RuntimeException listThrows;
    volatile String unreachableUrl;
    volatile java.util.function.Consumer<UpstreamSpec> whileConnecting = spec -> { };

    /** Offers {@code kindField} (tools, resources, resourceTemplates, prompts) in the given pages. */
    public Script offers(String capability, String method, String... pagesJson) {
      capabilities.putObject(capability);
      List<ArrayNode> list = new ArrayList<>();
      for (String p : pagesJson) {
        try {
          list.add((ArrayNode) JSON.readTree(p));
        } catch (Exception e) {
          throw new IllegalArgumentException(e);
        }
      }
      pages.put(method, list);
      return this;
    }

    public Script tools(String... pagesJson) {
      return offers("tools", "tools/list", pagesJson);
    }

    public Script prompts(String... pagesJson) {
      return offers("prompts", "prompts/list", pagesJson);
    }

    public Script resources(String resourcesJson, String templatesJson) {
      offers("resources", "resources/list", resourcesJson);
      return offers("resources", "resources/templates/list", templatesJson);
    }

    public Script unreachable(boolean value) {
      unreachable = value;
      return this;
    }

    public Script pingFails(boolean value) {
      pingFails = value;
      return this;
    }

    /** Refuses connections to {@code url} only (an address the upstream has left). */
    public Script unreachableAt(String url) {
      unreachableUrl = url;
      return this;
    }

    /** Runs {@code action} in the middle of each connect, after the old session is gone and before the outcome. */
    public Script whileConnecting(java.util.function.Consumer<UpstreamSpec> action) {
      whileConnecting = action;
      return this;
    }

    public Script listThrows(RuntimeException e) {
      listThrows = e;
      return this;
    }
  }

  public Script upstream(String name) {
    return scripts.computeIfAbsent(name, n -> new Script());
  }

  /** Sends {@code method} as a notification from the upstream registered as {@code gatewayId}. */
  public void notifyFrom(String gatewayId, String method) {
    sessions.get(gatewayId).listener.onNotification(method, JSON.createObjectNode());
  }

  @Override
  public CompletableFuture<UpstreamClient> connect(String gatewayId, UpstreamSpec spec, UpstreamListener listener) {
    disconnect(gatewayId);
    Script s = scripts.get(spec.name());
    if (s != null) {
      s.whileConnecting.accept(spec);
    }
    if (s == null || s.unreachable || spec.url() != null && spec.url().equals(s.unreachableUrl)) {
      return CompletableFuture.failedFuture(new UpstreamException(spec.name(), UpstreamException.Kind.UNAVAILABLE,
          "upstream '" + spec.name() + "' is unreachable: connection refused"));
    }
    Client c = new Client(spec.name(), s, listener);
    sessions.put(gatewayId, c);
    return CompletableFuture.completedFuture(c);
  }

  @Override
  public Optional<UpstreamClient> get(String gatewayId) {
    return Optional.ofNullable(sessions.get(gatewayId));
  }

  @Override
  public void disconnect(String gatewayId) {
    Client c = sessions.remove(gatewayId);
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void close() {
    sessions.keySet().forEach(this::disconnect);
  }

  private final class Client implements UpstreamClient {
    private final String name;
    private final Script script;
    private volatile UpstreamListener listener;
    private final ObjectNode init;

    Client(String name, Script script, UpstreamListener listener) {
      this.name = name;
      this.script = script;
      this.listener = listener;
      this.init = JSON.createObjectNode();
      init.set("capabilities", script.capabilities.deepCopy());
      init.putObject("serverInfo").put("name", name).put("version", "1");
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<ObjectNode> connect() {
      return CompletableFuture.completedFuture(init);
    }

    @Override
    public CompletableFuture<JsonNode> request(String method, ObjectNode params, RequestOptions options) {
      requests.add(name + " " + method + " " + params);
      if ("ping".equals(method)) {
        return script.pingFails
            ? CompletableFuture.failedFuture(new UpstreamException(name, UpstreamException.Kind.TIMEOUT,
                "upstream '" + name + "' did not answer ping"))
            : CompletableFuture.completedFuture(JSON.createObjectNode());
      }
      List<ArrayNode> pages = script.pages.get(method);
      if (pages == null) {
        return CompletableFuture.failedFuture(UpstreamException.methodNotFound(method));
      }
      if (script.listThrows != null) {
        return CompletableFuture.failedFuture(script.listThrows);
      }
      int page = params.has("cursor") ? Integer.parseInt(params.get("cursor").asText()) : 0;
      ObjectNode result = JSON.createObjectNode();
      String field = switch (method) {
        case "tools/list" -> "tools";
        case "prompts/list" -> "prompts";
        case "resources/list" -> "resources";
        default -> "resourceTemplates";
      };
      result.set(field, pages.get(page).deepCopy());
      if (page + 1 < pages.size()) {
        result.put("nextCursor", Integer.toString(page + 1));
      }
      return CompletableFuture.completedFuture(result);
    }

    @Override
    public void notify(String method, ObjectNode params) {}

    @Override
    public void setListener(UpstreamListener l) {
      listener = l;
    }

    @Override
    public ObjectNode initializeResult() {
      return init;
    }

    @Override
    public UpstreamHealth health() {
      return new UpstreamHealth(true, "CLOSED", null, null);
    }

    @Override
    public void close() {}
  }
}
