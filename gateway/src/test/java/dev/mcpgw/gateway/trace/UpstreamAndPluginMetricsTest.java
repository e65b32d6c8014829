package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.gateway.plugin.PluginChainListener;
import dev.mcpgw.gateway.upstream.UpstreamException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamAndPluginMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();

  private MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() ->
        new AssertionError(name + " not among " + all.stream().map(MetricData::getName).toList()));
  }

  @Test
  void anUpstreamCallIsMeasuredByUpstreamMethodAndOutcomeAndRetriesAndTransitionsAreCounted() throws Exception {
    UpstreamMetrics metrics = new UpstreamMetrics(provider.get("test"));
    metrics.onCompleted("everything", "tools/call", 2_000_000, new ObjectMapper().readTree("{\"content\":[]}"), null);
    metrics.onCompleted("everything", "tools/call", 5_000_000, null,
        new UpstreamException("everything", UpstreamException.Kind.TIMEOUT, "upstream 'everything' did not answer"));
    metrics.onRetry("everything", 1,
        new UpstreamException("everything", UpstreamException.Kind.UNAVAILABLE, "upstream 'everything' refused"));
    metrics.onBreakerTransition("everything", "CLOSED", "OPEN");

    Collection<MetricData> all = reader.collectAllMetrics();
    List<Attributes> calls = metric(all, "mcp.client.operation.duration").getHistogramData().getPoints().stream()
        .map(p -> p.getAttributes()).toList();
    assertThat(calls).containsExactlyInAnyOrder(
        Attributes.of(AttributeKey.stringKey("mcpgw.upstream.name"), "everything",
            AttributeKey.stringKey("mcp.method.name"), "tools/call"),
        Attributes.of(AttributeKey.stringKey("mcpgw.upstream.name"), "everything",
            AttributeKey.stringKey("mcp.method.name"), "tools/call", AttributeKey.stringKey("error.type"), "timeout"));
    assertThat(metric(all, "mcpgw.upstream.retries").getLongSumData().getPoints()).singleElement()
        .satisfies(p -> {
          assertThat(p.getValue()).isEqualTo(1);
          assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("unavailable");
        });
    assertThat(metric(all, "mcpgw.upstream.circuit_breaker.transitions").getLongSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey("to"))).isEqualTo("OPEN"));
  }

  @Test
  void pluginRunsAreMeasuredByOutcomeAllowedModifiedBlocked() {
    PluginMetrics metrics = new PluginMetrics(provider.get("test"));
    metrics.onPluginRun(dev.mcpgw.gateway.plugin.Hook.values()[0], null, "rate_limit", 10,
        dev.mcpgw.gateway.plugin.PluginConfig.Mode.ENFORCE, PluginChainListener.Outcome.BLOCKED, false, 1000, null);
    metrics.onPluginRun(dev.mcpgw.gateway.plugin.Hook.values()[0], null, "pii", 20,
        dev.mcpgw.gateway.plugin.PluginConfig.Mode.ENFORCE, PluginChainListener.Outcome.PROCEEDED, true, 1000, null);
    metrics.onPluginRun(dev.mcpgw.gateway.plugin.Hook.values()[0], null, "deny", 30,
        dev.mcpgw.gateway.plugin.PluginConfig.Mode.ENFORCE, PluginChainListener.Outcome.PROCEEDED, false, 1000, null);

    assertThat(metric(reader.collectAllMetrics(), "mcpgw.plugin.duration").getHistogramData().getPoints())
        .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("plugin.name")) + "="
            + p.getAttributes().get(AttributeKey.stringKey("plugin.outcome")))
        .containsExactlyInAnyOrder("rate_limit=blocked", "pii=modified", "deny=allowed");
  }

  @Test
  void aBreakerStateIsANumberAGaugeCanAlertOn() {
    assertThat(UpstreamGauges.state("CLOSED")).isZero();
    assertThat(UpstreamGauges.state("HALF_OPEN")).isEqualTo(1);
    assertThat(UpstreamGauges.state("OPEN")).isEqualTo(2);
    assertThat(UpstreamGauges.state("UNKNOWN")).isEqualTo(-1);
    assertThat(UpstreamGauges.state(null)).isEqualTo(-1);
  }
}
