package dev.mcpgw.gateway.console;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.tenancy.UsageQueries;
import dev.mcpgw.gateway.usage.QuotaStatus;
import dev.mcpgw.gateway.usage.UsageRepository;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Usage and cost per tenant, user, tool and model over a time range, as a table and as charts of calls and cost per
 * minute, hour or day, and the quotas with their utilisation (those above {@link #NEAR_LIMIT} highlighted). Reads
 * {@link UsageQueries}, as {@code GET /usage} and {@code GET /quotas} do, in the caller's scope: a platform admin sees
 * every tenant, a tenant admin its own, a user only their own calls. Keys and user names are data from clients: text.
 */
final class UsagePage {
  /** Utilisation above which a quota is highlighted. */
  static final double NEAR_LIMIT = 0.8;
  /** The ranges the page offers, by their parameter value. */
  static final Map<String, Duration> RANGES = Map.of("1h", Duration.ofHours(1), "24h", Duration.ofHours(24),
      "7d", Duration.ofDays(7));
  static final String DEFAULT_RANGE = "24h";
  private static final String[][] RANGE_OPTIONS = {{"1h", "Last hour"}, {"24h", "Last 24 hours"},
      {"7d", "Last 7 days"}};

  private UsagePage() {}

  static Html body(Function<String, String> param, UsageQueries queries, Caller caller, Instant now) {
    Html h = new Html();
    String asked = param.apply("range");
    String range = asked != null && RANGES.containsKey(asked) ? asked : DEFAULT_RANGE;
    form(h, param, range, caller);
    if (queries == null) {
      return h.raw("<p class=\"note\" id=\"usage-off\">The usage store is not running in this gateway: no usage is "
          + "recorded.</p>");
    }
    UsageQueries.Answer answer;
    try {
      UsageQueries.Query query = UsageQueries.query(queryParams(param, range, now), now);
      Duration bucket = bucketFor(Duration.between(query.from(), query.to()));
      answer = queries.usage(caller, query.withBucket(bucket, Charts.per(bucket)));
    } catch (ApiException e) {
      return h.raw("<p class=\"error\" role=\"alert\" id=\"usage-error\">").text(e.getMessage()).raw("</p>");
    }
    UsageQueries.Series series = answer.series();
    h.raw("<p class=\"note\" id=\"usage-range\">").text(answer.query().from().truncatedTo(ChronoUnit.SECONDS) + " to "
        + answer.query().to().truncatedTo(ChronoUnit.SECONDS)
        + " (UTC), per " + Charts.per(series.bucket()) + "; " + scope(caller, answer.query().tenant())).raw("</p>");
    String keyName = keyName(answer.query().groupBy());
    h.raw("<section><h2>").text("Calls and cost per " + answer.query().groupBy().wire()).raw("</h2>");
    if (!answer.groups().isEmpty()) {
      charts(h, answer);
    }
    table(h, keyName, answer);
    h.raw("</section>");
    quotas(h, queries.quotas(caller, answer.query().tenant()));
    return h;
  }

  /** The page's parameters as the usage query's: a preset range ends now unless from or to is given. */
  private static Function<String, String> queryParams(Function<String, String> param, String range, Instant now) {
    Map<String, String> q = new HashMap<>();
    q.put("groupBy", param.apply("groupBy"));
    q.put("tenant", param.apply("tenant"));
    q.put("from", param.apply("from"));
    q.put("to", param.apply("to"));
    if (q.get("from") == null && q.get("to") == null) {
      q.put("from", now.minus(RANGES.get(range)).toString());
      q.put("to", now.toString());
    }
    return q::get;
  }

  /** The bucket a range needs for a readable chart: per minute up to 6 hours, per hour up to 31 days, else per day. */
  static Duration bucketFor(Duration span) {
    return span.compareTo(Duration.ofHours(6)) <= 0 ? Duration.ofMinutes(1)
        : span.compareTo(Duration.ofDays(31)) <= 0 ? Duration.ofHours(1) : Duration.ofDays(1);
  }

  private static void form(Html h, Function<String, String> param, String range, Caller caller) {
    boolean custom = param.apply("from") != null || param.apply("to") != null;
    h.raw("<form class=\"search\" method=\"get\" action=\"/console/usage\" id=\"usage-form\">")
        .raw("<label>Range<select name=\"range\" id=\"u-range\">");
    for (String[] o : RANGE_OPTIONS) {
      h.raw("<option").attr("value", o[0]);
      if (!custom && o[0].equals(range)) {
        h.raw(" selected");
      }
      h.raw(">").text(o[1]).raw("</option>");
    }
    h.raw("</select></label>");
    for (String[] f : new String[][] {{"from", "From (ISO-8601, overrides the range)"}, {"to", "To (ISO-8601)"}}) {
      h.raw("<label>").text(f[1]).raw("<input").attr("name", f[0]).attr("id", "u-" + f[0])
          .attr("value", param.apply(f[0])).attr("placeholder", "2026-12-01T00:00:00Z").raw("></label>");
    }
    String groupBy = param.apply("groupBy") == null ? "tool" : param.apply("groupBy");
    h.raw("<label>Group by<select name=\"groupBy\" id=\"u-groupBy\">");
    for (UsageRepository.GroupBy g : UsageRepository.GroupBy.values()) {
      h.raw("<option").attr("value", g.wire());
      if (g.wire().equals(groupBy)) {
        h.raw(" selected");
      }
      h.raw(">").text(g.wire()).raw("</option>");
    }
    h.raw("</select></label>");
    if (caller.platformAdmin()) {
      h.raw("<label>Tenant (all when empty)<input name=\"tenant\" id=\"u-tenant\"").attr("value", param.apply("tenant"))
          .raw("></label>");
    }
    h.raw("<button type=\"submit\" id=\"u-apply\">Show</button></form>");
  }

  private static String scope(Caller caller, String tenant) {
    if (caller.platformAdmin()) {
      return tenant == null ? "every tenant" : "tenant " + tenant;
    }
    return caller.admin() ? "tenant " + caller.tenantId() + ", all its users"
        : "your own calls (user " + caller.userId() + " of tenant " + caller.tenantId() + ")";
  }

  private static void charts(Html h, UsageQueries.Answer answer) {
    UsageQueries.Series series = answer.series();
    List<UsageRepository.Group> shown = answer.groups().subList(0, Math.min(Charts.MAX_LINES, answer.groups().size()));
    String currency = answer.currency();
    h.raw("<div class=\"charts\" id=\"usage-charts\">");
    Charts.chart(h, "usage-charts-calls", "Calls per " + Charts.per(series.bucket()), "Calls", false,
        v -> BigDecimal.valueOf(v).setScale(0, RoundingMode.HALF_UP).toPlainString(),
        lines(series, shown, UsageRepository.Bucket::calls));
    Charts.chart(h, "usage-charts-cost", "Cost per " + Charts.per(series.bucket()) + " (" + currency + ")", "Cost",
        false, v -> amount(v, new MathContext(3)), lines(series, shown, UsageRepository.Bucket::cost));
    h.raw("</div><p class=\"legend chart-legend\">");
    for (int i = 0; i < shown.size(); i++) {
      h.raw("<span").attr("class", "swatch series-" + i).raw("></span>").text(shown.get(i).key());
    }
    if (answer.groups().size() > shown.size()) {
      h.raw(" <span class=\"note\">").text("(the " + Charts.MAX_LINES + " most expensive of " + answer.groups().size()
          + ")").raw("</span>");
    }
    h.raw("</p>");
  }

  private static List<Charts.Line> lines(UsageQueries.Series series, List<UsageRepository.Group> groups,
      ToDoubleFunction<UsageRepository.Bucket> value) {
    List<Charts.Line> out = new ArrayList<>();
    for (UsageRepository.Group g : groups) {
      double[] values = new double[series.count()];
      boolean[] busy = new boolean[series.count()];
      for (UsageRepository.Bucket b : series.byKey().getOrDefault(g.key(), List.of())) {
        if (b.index() >= 0 && b.index() < values.length) {
          values[(int) b.index()] = value.applyAsDouble(b);
          busy[(int) b.index()] = b.calls() > 0;
        }
      }
      out.add(new Charts.Line(g.key(), series.start(), series.bucket(), values, busy));
    }
    return out;
  }

  private static void table(Html h, String keyName, UsageQueries.Answer answer) {
    if (answer.groups().isEmpty()) {
      h.raw("<p class=\"note\" id=\"no-usage\">No calls in this range.</p>");
      return;
    }
    h.raw("<table id=\"usage-table\"><thead><tr><th>").text(keyName).raw("</th><th>Calls</th><th>Errors</th>"
        + "<th>Argument tokens</th><th>Result tokens</th><th>Input tokens (reported)</th>"
        + "<th>Output tokens (reported)</th><th>Cost</th><th>Currency</th><th>p50</th><th>p95</th></tr></thead>"
        + "<tbody>");
    for (UsageRepository.Group g : answer.groups()) {
      h.raw("<tr").attr("class", g.errors() > 0 ? "error" : "ok").attr("data-key", g.key()).raw(">").el("td", g.key());
      for (long n : new long[] {g.calls(), g.errors(), g.argumentsTokens(), g.resultTokens(), g.inputTokens(),
          g.outputTokens()}) {
        h.raw("<td class=\"num\">").text(n).raw("</td>");
      }
      h.raw("<td class=\"num\">").text(amount(g.cost(), null)).raw("</td>").el("td", answer.currency())
          .raw("<td class=\"num\">").text(String.format(Locale.ROOT, "%.1f ms", g.p50Ms()))
          .raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.1f ms", g.p95Ms())).raw("</td></tr>");
    }
    h.raw("</tbody></table>");
  }

  private static void quotas(Html h, List<QuotaStatus> quotas) {
    h.raw("<section><h2>Quotas</h2>");
    if (quotas.isEmpty()) {
      h.raw("<p class=\"note\" id=\"no-quotas\">No quota is set that you can see (<code>POST /quotas</code>).</p>"
          + "</section>");
      return;
    }
    h.raw("<table id=\"quotas\"><thead><tr><th>Tenant</th><th>User</th><th>Metric</th><th>Window</th><th>Used</th>"
        + "<th>Limit</th><th>Utilisation</th><th>Resets at</th></tr></thead><tbody>");
    for (QuotaStatus s : quotas) {
      double u = s.utilization();
      h.raw("<tr").attr("class", u > NEAR_LIMIT ? "near-limit" : "ok").attr("data-quota", s.quota().id())
          .attr("data-utilization", String.format(Locale.ROOT, "%.4f", u)).raw(">")
          .el("td", s.quota().tenant()).el("td", s.quota().user() == null ? "(whole tenant)" : s.quota().user())
          .el("td", s.quota().metric().wire()).el("td", s.quota().window().wire())
          .raw("<td class=\"num\">").text(amount(s.used(), null)).raw("</td><td class=\"num\">")
          .text(amount(s.quota().limit(), null)).raw("</td><td class=\"num\"><meter min=\"0\" max=\"1\"")
          .attr("low", NEAR_LIMIT).attr("high", NEAR_LIMIT).attr("optimum", 0).attr("value", Math.min(1, u))
          .raw("></meter> ").text(String.format(Locale.ROOT, "%.1f %%", u * 100)).raw("</td>")
          .el("td", s.resetsAt()).raw("</tr>");
    }
    h.raw("</tbody></table></section>");
  }

  /** A count or an amount of money without float noise: whole numbers plain, others to 6 decimals (or {@code mc}). */
  static String amount(double v, MathContext mc) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    BigDecimal d = BigDecimal.valueOf(v);
    d = mc == null ? d.setScale(6, RoundingMode.HALF_UP) : d.round(mc);
    return d.stripTrailingZeros().toPlainString();
  }

  private static String keyName(UsageRepository.GroupBy groupBy) {
    String w = groupBy.wire();
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
