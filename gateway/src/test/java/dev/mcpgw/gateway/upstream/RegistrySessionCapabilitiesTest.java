package dev.mcpgw.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's shared session declares the client capabilities the gateway relays, so that a real server-everything
 * lists the tools it offers only to such clients; what that upstream then asks on the shared session, outside any
 * client's call, is answered at once: an empty roots list, a {@code -32601} for sampling and elicitation.
 */
class RegistrySessionCapabilitiesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private UpstreamConnections pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  private UpstreamClient registrySession() throws Exception {
    pool = UpstreamConnections.create(UpstreamSettings.DEFAULTS);
    return pool.connect("g", EverythingServer.stdioSpec("ev", Map.of()), UpstreamListener.NONE)
        .get(30, TimeUnit.SECONDS);
  }

  private static JsonNode call(UpstreamClient client, String tool, ObjectNode arguments) throws Exception {
    ObjectNode params = JsonNodeFactory.instance.objectNode().put("name", tool);
    params.set("arguments", arguments);
    return client.request("tools/call", params, RequestOptions.call(TIMEOUT)).get(30, TimeUnit.SECONDS);
  }

  @Test
  void theRegistrySessionDeclaresSamplingElicitationAndRootsWithListChanged() {
    ObjectNode capabilities = (ObjectNode) TransportClient.registryInitializeParams().get("capabilities");
    assertThat(capabilities.has("sampling")).isTrue();
    assertThat(capabilities.has("elicitation")).isTrue();
    assertThat(capabilities.path("roots").path("listChanged").asBoolean()).isTrue();
    // on behalf of a downstream client, never: it gets its own capabilities or none
    assertThat(TransportClient.initializeParamsFor(null).get("capabilities").isEmpty()).isTrue();
  }

  @Test
  void serverEverythingListsItsCapabilityGatedToolsToTheRegistry() throws Exception {
    UpstreamClient client = registrySession();
    JsonNode listed = client.request("tools/list", JsonNodeFactory.instance.objectNode(),
        RequestOptions.idempotent(TIMEOUT)).get(30, TimeUnit.SECONDS);
    List<String> names = new ArrayList<>();
    listed.path("tools").forEach(t -> names.add(t.path("name").asText()));
    assertThat(names).contains("echo", "trigger-sampling-request", "trigger-elicitation-request", "get-roots-list");
  }

  @Test
  void aSamplingRequestOnTheSharedSessionOutsideAnyClientsCallGetsAMethodNotFoundAtOnce() throws Exception {
    UpstreamClient client = registrySession();
    JsonNode result = call(client, "trigger-sampling-request",
        JsonNodeFactory.instance.objectNode().put("prompt", "hello").put("maxTokens", 10));
    assertThat(result.path("isError").asBoolean()).isTrue();
    assertThat(result.toString()).contains("-32601").contains("no client is there to answer it");
  }

  @Test
  void theSharedSessionsRootsAreAnEmptyList() throws Exception {
    UpstreamClient client = registrySession();
    JsonNode result = call(client, "get-roots-list", JsonNodeFactory.instance.objectNode());
    assertThat(result.path("isError").asBoolean(false)).isFalse();
    assertThat(result.toString()).contains("supports roots but no roots are currently configured");
  }

  @Test
  void notificationsAndOtherRequestsStillReachTheRegistrysListener() throws Exception {
    List<String> heard = new ArrayList<>();
    UpstreamListener registry = new UpstreamListener() {
      @Override
      public void onNotification(String method, ObjectNode params) {
        heard.add(method);
      }

      @Override
      public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
        return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("from", "registry"));
      }
    };
    SharedSessionRequests shared = new SharedSessionRequests(registry);
    shared.onNotification("notifications/tools/list_changed", null);
    assertThat(heard).containsExactly("notifications/tools/list_changed");
    assertThat(shared.onRequest("custom/thing", null).get().path("from").asText()).isEqualTo("registry");
    assertThat(shared.onRequest("roots/list", null).get().path("roots").isEmpty()).isTrue();
    assertThatThrownBy(() -> shared.onRequest("elicitation/create", null).get())
        .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(UpstreamException.class,
            u -> assertThat(u.rpcError().path("code").asInt()).isEqualTo(-32601));
  }
}
