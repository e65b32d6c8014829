package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mcpgw.gateway.usage.Accounted;
import dev.mcpgw.gateway.usage.Quota;
import dev.mcpgw.gateway.usage.QuotaExceeded;
import dev.mcpgw.gateway.usage.QuotaStatus;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageMetricsTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final UsageMetrics metrics = new UsageMetrics(provider.get("test"), "USD");

  @AfterEach
  void close() {
    provider.close();
  }

  private static Accounted call(String tenant, String user, String tool, String model, double cost) {
    return new Accounted(tenant, user, tool, "up", model, true, 5_000_000L, 10, 20, null, 0, 0, cost, 0L, true);
  }

  private MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  @Test
  void tenThousandUsersOfManyTenantsKeepTheLabelsBoundedAndNoUserIdIsALabel() {
    for (int i = 0; i < 10_000; i++) {
      metrics.accounted(call("tenant-" + (i % 500), "user-" + i, "tool-" + (i % 300), "model-" + (i % 150), 0.001));
    }
    Collection<MetricData> all = reader.collectAllMetrics();

    for (String name : List.of(UsageMetrics.CALLS, UsageMetrics.TOKENS, UsageMetrics.COST, UsageMetrics.TOKEN_USAGE)) {
      Collection<? extends PointData> points = metric(all, name).getData().getPoints();
      Set<String> tenants = new HashSet<>();
      Set<String> tools = new HashSet<>();
      for (PointData p : points) {
        Attributes a = p.getAttributes();
        a.forEach((k, v) -> assertThat(v.toString()).as(name + " " + k).doesNotStartWith("user-"));
        tenants.add(a.get(UsageMetrics.TENANT));
        if (a.get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.tool.name")) != null) {
          tools.add(a.get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.tool.name")));
        }
      }
      assertThat(tenants).as(name).hasSize(UsageMetrics.MAX_VALUES + 1).contains(BoundedLabels.OTHER);
      if (!name.equals(UsageMetrics.TOKEN_USAGE)) {
        assertThat(tools).as(name).hasSize(UsageMetrics.MAX_VALUES + 1).contains(BoundedLabels.OTHER);
      }
      // tenants x tools x models is bounded by 101^3 in principle; these calls make far fewer series
      assertThat(points.size()).as(name).isLessThan(10_000);
    }
    double cost = metric(all, UsageMetrics.COST).getDoubleSumData().getPoints().stream()
        .mapToDouble(p -> p.getValue()).sum();
    assertThat(cost).as("nothing is lost to _other").isCloseTo(10.0, within(1e-6));
  }

  @Test
  void quotaRejectionsAreCountedAndUtilisationIsAGaugePerQuota() {
    Quota q = new Quota("q1", "acme", null, Quota.Metric.CALLS, 4, Quota.Window.MINUTE);
    metrics.quotas(() -> List.of(new QuotaStatus(q, 3, Instant.parse("2026-12-06T10:01:00Z"))));
    metrics.rejected(new QuotaExceeded(q, 4, Instant.parse("2026-12-06T10:01:00Z")));
    Collection<MetricData> all = reader.collectAllMetrics();

    assertThat(metric(all, UsageMetrics.QUOTA_REJECTIONS).getLongSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
    assertThat(metric(all, UsageMetrics.QUOTA_UTILIZATION).getDoubleGaugeData().getPoints()).singleElement()
        .satisfies(p -> {
          assertThat(p.getValue()).isEqualTo(0.75);
          assertThat(p.getAttributes().get(UsageMetrics.QUOTA_ID)).isEqualTo("q1");
        });
  }
}
