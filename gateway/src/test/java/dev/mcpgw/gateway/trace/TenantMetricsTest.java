package dev.mcpgw.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantMetricsTest {
  private static final String EXPOSITION = """
      # HELP mcpgw_tool_calls_total tools/call requests by tool, user and tenant
      # TYPE mcpgw_tool_calls_total counter
      mcpgw_tool_calls_total{gen_ai_tool_name="echo",tenant_id="acme",user_id="alice"} 3
      mcpgw_tool_calls_total{gen_ai_tool_name="echo",tenant_id="globex",user_id="hank"} 1
      mcpgw_tool_calls_total{gen_ai_tool_name="x",tenant_id="ac\\"me",user_id="eve"} 1
      # HELP mcp_server_operation_duration_seconds by method
      # TYPE mcp_server_operation_duration_seconds histogram
      mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call"} 5
      # HELP jvm_threads threads
      # TYPE jvm_threads gauge
      jvm_threads 12
      # HELP only_globex a family with globex samples only
      # TYPE only_globex counter
      only_globex_total{tenant_id="globex"} 2
      """;

  @Test
  void keepsOnlyTheTenantsSamplesAndTheHeadersOfTheirFamilies() {
    assertThat(TenantMetrics.only(EXPOSITION, "acme")).isEqualTo("""
        # HELP mcpgw_tool_calls_total tools/call requests by tool, user and tenant
        # TYPE mcpgw_tool_calls_total counter
        mcpgw_tool_calls_total{gen_ai_tool_name="echo",tenant_id="acme",user_id="alice"} 3
        """);
  }

  @Test
  void readsEscapedLabelValuesSoAQuoteInATenantIdDoesNotMatchAnother() {
    assertThat(TenantMetrics.labelValue("m{a=\"x\\\"y\",tenant_id=\"t\"} 1", "tenant_id")).isEqualTo("t");
    assertThat(TenantMetrics.labelValue("m{tenant_id=\"ac\\\"me\"} 1", "tenant_id")).isEqualTo("ac\"me");
    assertThat(TenantMetrics.labelValue("m 1", "tenant_id")).isNull();
    assertThat(TenantMetrics.only(EXPOSITION, "ac\"me")).contains("user_id=\"eve\"").doesNotContain("alice");
  }

  @Test
  void aTenantWithoutSamplesGetsAnEmptyExposition() {
    assertThat(TenantMetrics.only(EXPOSITION, "initech")).isEmpty();
  }
}
