package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.mcp.ScriptedUpstreams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stateless client with a {@code subscriptions/listen} stream open that sends tool calls as fast as it can: each
 * call asks for the stream's scope to be compared again soon, and those comparisons must not pile up (three per call
 * on one thread, without bound) but coalesce into one series per scope at a time, while the stream still hears of
 * changes.
 */
class ListensSecurityTest {
  private static final String META = "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
      + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
  private final ScriptedUpstreams scripted = new ScriptedUpstreams();
  private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
  private McpHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = McpHttpServer.alphaEcho(scripted, (u, method, params) -> {
      ObjectNode r = JsonRpc.MAPPER.createObjectNode();
      r.putArray("content").addObject().put("type", "text").put("text", "ok");
      return CompletableFuture.completedFuture(r);
    });
  }

  @AfterEach
  void stop() throws Exception {
    readers.shutdownNow();
    server.close();
  }

  private String body(String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":{" + params
        + (params.isEmpty() ? "" : ",") + "\"_meta\":" + META + "}}";
  }

  @Test
  void aFloodOfCallsQueuesAtMostOneSeriesOfChecksForAListensScope() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<?> stream = McpHttpServer.HTTP.sendAsync(server.post("/mcp", body("subscriptions/listen",
            "\"notifications\":{\"toolsListChanged\":true}"), Map.of("MCP-Protocol-Version", "2026-07-28",
            "Mcp-Method", "subscriptions/listen")).build(), HttpResponse.BodyHandlers.ofLines())
        .thenAcceptAsync(r -> r.body().forEach(heard::add), readers);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoints.listens().size() == 1);

      for (int i = 0; i < 300; i++) {
        HttpResponse<String> call = server.send(server.post("/mcp", body("tools/call",
            "\"name\":\"alpha-echo\",\"arguments\":{}"), Map.of("MCP-Protocol-Version", "2026-07-28",
            "Mcp-Method", "tools/call", "Mcp-Name", "alpha-echo")));
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
      }

      assertThat(server.endpoints.listens().pendingChecks()).isLessThanOrEqualTo(3);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoints.listens().pendingChecks() == 0);
      assertThat(String.join("\n", heard)).contains("notifications/subscriptions/acknowledged");
    } finally {
      stream.cancel(true);
    }
  }
}
