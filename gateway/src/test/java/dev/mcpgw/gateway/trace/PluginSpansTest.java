package dev.mcpgw.gateway.trace;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.ConfiguredPlugin;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.HookOutcome;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginChain;
import dev.mcpgw.gateway.plugin.PluginChains;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginResult;
import dev.mcpgw.observability.semconv.GatewayAttributes;
import dev.mcpgw.observability.semconv.McpAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code plugin.<hook>} spans from a real plugin chain's listener. */
class PluginSpansTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HookContext ALICE = new HookContext(new Caller("alice", "acme", false), "req-1", null);
  private final RecordingTracing tracing = RecordingTracing.start();

  @AfterEach
  void stop() {
    tracing.close();
  }

  private static ConfiguredPlugin plugin(String name, int priority, boolean modifies,
      Function<ObjectNode, PluginResult> body) {
    Plugin plugin = new Plugin() {
      @Override
      public Set<Hook> hooks() {
        return Set.of(Hook.TOOL_PRE_INVOKE);
      }

      @Override
      public boolean modifiesPayload() {
        return modifies;
      }

      @Override
      public PluginResult apply(Hook hook, HookContext context, ObjectNode payload) {
        return body.apply(payload);
      }
    };
    return new ConfiguredPlugin(PluginConfig.builder(name, "test").priority(priority).build(), plugin);
  }

  private HookOutcome runInRequestSpan(PluginChain chain) {
    Span request = tracing.observability().tracer().spanBuilder("tools/call echo").setSpanKind(SpanKind.SERVER)
        .startSpan();
    try (var ignored = request.makeCurrent()) {
      return chain.run(Hook.TOOL_PRE_INVOKE, ALICE, JSON.createObjectNode().put("name", "echo"));
    } finally {
      request.end();
    }
  }

  @Test
  void eachRunIsAChildSpanInPriorityOrderWithWhatItDidAndAnEventOnTheRequest() {
    PluginChain chain = PluginChains.of(List.of(
        plugin("second", 20, true, p -> PluginResult.modified(p.deepCopy().put("x", 1))),
        plugin("first", 10, false, p -> PluginResult.proceed())),
        GatewayTelemetry.create(tracing.observability()).pluginListener());

    assertThat(runInRequestSpan(chain)).isInstanceOf(HookOutcome.Proceed.class);

    SpanData request = tracing.await("tools/call echo", SpanKind.SERVER);
    List<SpanData> runs = tracing.children(request).stream()
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    assertThat(runs).extracting(SpanData::getName).containsOnly("plugin.tool_pre_invoke");
    assertThat(runs).extracting(s -> s.getAttributes().get(GatewayAttributes.PLUGIN_NAME))
        .containsExactly("first", "second");
    assertThat(runs.get(1)).hasKind(SpanKind.INTERNAL)
        .hasAttribute(GatewayAttributes.PLUGIN_PRIORITY, 20L)
        .hasAttribute(GatewayAttributes.PLUGIN_MODE, "enforce")
        .hasAttribute(GatewayAttributes.PLUGIN_OUTCOME, "proceeded")
        .hasAttribute(GatewayAttributes.PLUGIN_MODIFIED, true)
        .hasAttribute(GatewayAttributes.USER_ID, "alice");
    assertThat(runs).allSatisfy(r -> assertThat(r.getEndEpochNanos()).isGreaterThanOrEqualTo(r.getStartEpochNanos()));
    assertThat(request.getEvents()).extracting(e -> e.getName())
        .containsExactly("plugin.pre_invoke.executed", "plugin.pre_invoke.executed");
    assertThat(request.getEvents().get(0).getAttributes().get(GatewayAttributes.PLUGIN_NAME)).isEqualTo("first");
  }

  @Test
  void aBlockingPluginAndAThrowingOneAreErrorsAndTheThrowersMessageIsNeverRecorded() {
    PluginChain chain = PluginChains.of(List.of(
        plugin("thrower", 10, false, p -> {
          throw new IllegalStateException("password=hunter2 in the payload");
        }),
        plugin("blocker", 20, false, p -> PluginResult.block("not today"))),
        GatewayTelemetry.create(tracing.observability()).pluginListener());

    assertThat(runInRequestSpan(chain)).isInstanceOf(HookOutcome.Blocked.class);

    SpanData thrower = tracing.await(s -> "thrower".equals(s.getAttributes().get(GatewayAttributes.PLUGIN_NAME)));
    assertThat(thrower).hasAttribute(GatewayAttributes.PLUGIN_OUTCOME, "failed")
        .hasAttribute(McpAttributes.ERROR_TYPE, IllegalStateException.class.getName());
    assertThat(thrower.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(thrower.toString()).doesNotContain("hunter2");
    SpanData blocker = tracing.await(s -> "blocker".equals(s.getAttributes().get(GatewayAttributes.PLUGIN_NAME)));
    assertThat(blocker).hasAttribute(GatewayAttributes.PLUGIN_OUTCOME, "blocked");
    assertThat(blocker.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void disabledTracingGivesTheChainsOwnNoOpListener() {
    assertThat(GatewayTelemetry.create(dev.mcpgw.observability.Observability.noop()).pluginListener())
        .isSameAs(dev.mcpgw.gateway.plugin.PluginChainListener.NOOP);
  }
}
