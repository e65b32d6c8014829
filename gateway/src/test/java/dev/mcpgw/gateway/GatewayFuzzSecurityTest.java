package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.testing.EverythingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "Done when": 10,000 generated inputs ({@link FuzzInputs}: JSON-RPC messages of every shape, batches,
 * requests of the stateless revision 2026-07-28 (its {@code _meta}, SEP-2243 headers, forged {@code requestState}),
 * {@code params._meta}, {@code traceparent}, {@code baggage}, registry bodies) against one running gateway with a real
 * upstream ({@code server-everything}): no answer is a 500, none is HTML, every one comes within {@link #BOUND}, and
 * afterwards {@code /health} and a normal tool call still work. The seed is fixed (replay with
 * {@code -Dfuzz.seed=N}); a failure names the worker and the input.
 */
class GatewayFuzzSecurityTest {
  private static final long SEED = Long.getLong("fuzz.seed", 20261206L);
  private static final int WORKERS = 4;
  private static final int INPUTS_PER_WORKER = 2_500;
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path tmp;

  @Test
  void tenThousandGeneratedInputsGetNo500NoHangAndLeaveTheGatewayHealthy() throws Exception {
    try (EverythingServer everything = EverythingServer.start(EverythingServer.Mode.STREAMABLE_HTTP, tmp);
        TestGateway gw = TestGateway.startProduction(TestGateway.settings(tmp,
            new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 4), Map.of()))) {
      String gatewayId = gw.post("/gateways", "{\"name\":\"everything\",\"transport\":\"streamablehttp\",\"url\":\""
          + everything.url() + "\"}").get("id").asText();
      gw.post("/prompts", "{\"name\":\"greet\",\"template\":\"Hello {{ who }}\"}");
      String serverId = gw.post("/servers", "{\"name\":\"curated\",\"gateways\":[\"" + gatewayId + "\"]}")
          .get("id").asText();
      String userToken = gw.userToken();
      FuzzInputs.Target target = new FuzzInputs.Target(serverId, initialize(gw, userToken, "2025-11-25"),
          initialize(gw, userToken, "2025-03-26"), userToken, gw.adminToken());

      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger sent = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
          FuzzInputs inputs = new FuzzInputs(SEED + w, target);
          int worker = w;
          done.add(workers.submit(() -> {
            for (int i = 0; i < INPUTS_PER_WORKER && failures.size() < 20; i++) {
              FuzzInputs.Input input = inputs.next();
              String problem = exchange(gw.base, input);
              sent.incrementAndGet();
              if (problem != null) {
                failures.add("seed " + (SEED + worker) + " input " + i + ": " + problem + " <- " + input.describe());
              }
            }
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        workers.shutdownNow();
      }

      assertThat(failures).isEmpty();
      assertThat(sent.get()).isEqualTo(WORKERS * INPUTS_PER_WORKER);
      assertThat(gw.send("GET", "/health", null, null).statusCode()).isEqualTo(200);
      JsonNode echo = new McpRpc(gw, gw.userToken()).call("tools/call",
          "{\"name\":\"everything-echo\",\"arguments\":{\"message\":\"still standing\"}}");
      assertThat(echo.at("/result/content/0/text").asText()).contains("still standing");
    }
  }

  private static String initialize(TestGateway gw, String token, String version) throws Exception {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base + "/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\","
            + "\"version\":\"1\"}}}")).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  /** Sends one input; what is wrong with the answer, or {@code null}. */
  private static String exchange(String base, FuzzInputs.Input input) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + input.path())).timeout(BOUND)
        .method(input.method(), input.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(input.body()));
    input.headers().forEach(b::header);
    HttpResponse<String> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return "no answer within " + BOUND;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (java.io.IOException e) {
      return "connection failed: " + e;
    }
    int status = r.statusCode();
    if (status == 500 || status == 501 || status >= 505) {
      return "status " + status + " " + r.body();
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (status >= 400 && !type.startsWith("application/json")) {
      return "status " + status + " answered as '" + type + "'";
    }
    String body = r.body();
    if (body.contains("<html") || body.contains("NullPointerException") || body.matches("(?s).*\\bat (java|dev|org|com)\\..*")) {
      return "status " + status + " body shows internals: " + body;
    }
    return null;
  }
}
