package dev.mcpgw.gateway.trace;

import dev.mcpgw.gateway.usage.Accounted;
import dev.mcpgw.gateway.usage.QuotaExceeded;
import dev.mcpgw.gateway.usage.QuotaStatus;
import dev.mcpgw.gateway.usage.UsageListener;
import dev.mcpgw.observability.semconv.GenAiAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The usage metrics, recorded on the accounting thread: {@code gen_ai.client.token.usage} (the calling model's view
 * of a tool call: its result is input, its arguments output, plus usage an upstream reported), {@code
 * mcpgw.usage.calls}, {@code mcpgw.usage.tokens} and {@code mcpgw.usage.cost} by tenant, tool and model, and the
 * quotas' {@code mcpgw.quota.utilization} and {@code mcpgw.quota.rejections}. Never a user id: per-user figures are
 * in the usage store. Tenants, tools and models are each bounded to {@value #MAX_VALUES} values ({@code _other}
 * beyond).
 */
final class UsageMetrics implements UsageListener {
  static final int MAX_VALUES = 100;
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String CALLS = "mcpgw.usage.calls";
  static final String TOKENS = "mcpgw.usage.tokens";
  static final String COST = "mcpgw.usage.cost";
  static final String QUOTA_UTILIZATION = "mcpgw.quota.utilization";
  static final String QUOTA_REJECTIONS = "mcpgw.quota.rejections";
  static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  static final AttributeKey<String> QUOTA_ID = AttributeKey.stringKey("quota.id");
  static final AttributeKey<String> QUOTA_METRIC = AttributeKey.stringKey("quota.metric");
  static final AttributeKey<String> QUOTA_WINDOW = AttributeKey.stringKey("quota.window");

  private final Meter meter;
  private final String currency;
  private final LongHistogram tokenUsage;
  private final LongCounter calls;
  private final LongCounter tokens;
  private final DoubleCounter cost;
  private final LongCounter rejections;
  private final BoundedLabels tenants = new BoundedLabels(MAX_VALUES);
  private final BoundedLabels tools = new BoundedLabels(MAX_VALUES);
  private final BoundedLabels models = new BoundedLabels(MAX_VALUES);

  UsageMetrics(Meter meter, String currency) {
    this.meter = meter;
    this.currency = currency;
    this.tokenUsage = meter.histogramBuilder(TOKEN_USAGE).ofLongs().setUnit("{token}")
        .setDescription("Tokens of tool calls as the calling model sees them (result input, arguments output) and"
            + " of usage upstreams reported")
        .setExplicitBucketBoundariesAdvice(List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L))
        .build();
    this.calls = meter.counterBuilder(CALLS).setUnit("{call}")
        .setDescription("Accounted tools/call requests by tenant, tool, model and outcome").build();
    this.tokens = meter.counterBuilder(TOKENS).setUnit("{token}")
        .setDescription("Accounted tokens by tenant, tool, model and type (arguments, result, input, output)").build();
    // the currency as an annotation: Prometheus drops it from the family name (mcpgw_usage_cost_total)
    this.cost = meter.counterBuilder(COST).ofDoubles().setUnit("{" + currency + "}")
        .setDescription("Attributed cost by tenant, tool and model, in the pricing file's currency").build();
    this.rejections = meter.counterBuilder(QUOTA_REJECTIONS).setUnit("{call}")
        .setDescription("tools/call requests rejected by a quota, by tenant, metric and window").build();
  }

  @Override
  public void accounted(Accounted a) {
    String tenant = tenants.of(a.tenant());
    String tool = tools.of(a.tool());
    String model = models.of(a.model());
    Attributes base = Attributes.of(TENANT, tenant, GenAiAttributes.GEN_AI_TOOL_NAME, tool,
        GenAiAttributes.GEN_AI_REQUEST_MODEL, model);
    calls.add(1, base.toBuilder().put(OUTCOME, a.ok() ? "ok" : "error").build());
    add(base, "arguments", a.argumentsTokens());
    add(base, "result", a.resultTokens());
    add(base, "input", a.inputTokens());
    add(base, "output", a.outputTokens());
    if (a.cost() > 0) {
      cost.add(a.cost(), base);
    }
    Attributes genAi = Attributes.of(GenAiAttributes.GEN_AI_OPERATION_NAME, GenAiAttributes.OPERATION_EXECUTE_TOOL,
        GenAiAttributes.GEN_AI_REQUEST_MODEL, model, TENANT, tenant);
    tokenUsage.record(a.resultTokens() + a.inputTokens(), genAi.toBuilder().put(TOKEN_TYPE, "input").build());
    tokenUsage.record(a.argumentsTokens() + a.outputTokens(), genAi.toBuilder().put(TOKEN_TYPE, "output").build());
  }

  private void add(Attributes base, String type, long n) {
    if (n > 0) {
      tokens.add(n, base.toBuilder().put(TOKEN_TYPE, type).build());
    }
  }

  @Override
  public void rejected(QuotaExceeded r) {
    rejections.add(1, Attributes.of(TENANT, tenants.of(r.quota().tenant()), QUOTA_METRIC, r.quota().metric().wire(),
        QUOTA_WINDOW, r.quota().window().wire()));
  }

  @Override
  public void quotas(Supplier<List<QuotaStatus>> statuses) {
    meter.gaugeBuilder(QUOTA_UTILIZATION)
        .setDescription("Each quota's use of its current window over its limit (1 = exhausted)")
        .buildWithCallback(m -> {
          for (QuotaStatus s : statuses.get()) {
            m.record(s.utilization(), Attributes.of(TENANT, tenants.of(s.quota().tenant()), QUOTA_ID, s.quota().id(),
                QUOTA_METRIC, s.quota().metric().wire(), QUOTA_WINDOW, s.quota().window().wire()));
          }
        });
  }

  String currency() {
    return currency;
  }
}
