package dev.mcpgw.observability.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class McpAttributesTest {

  @Test
  void spanNameIsMethodAndTargetOrMethodAlone() {
    assertThat(McpAttributes.spanName("tools/call", "echo")).isEqualTo("tools/call echo");
    assertThat(McpAttributes.spanName("tools/list", null)).isEqualTo("tools/list");
    assertThat(McpAttributes.spanName("initialize", "")).isEqualTo("initialize");
  }

  @Test
  void keysMatchTheMcpSemanticConventions() {
    assertThat(McpAttributes.MCP_METHOD_NAME.getKey()).isEqualTo("mcp.method.name");
    assertThat(McpAttributes.MCP_SESSION_ID.getKey()).isEqualTo("mcp.session.id");
    assertThat(McpAttributes.MCP_PROTOCOL_VERSION.getKey()).isEqualTo("mcp.protocol.version");
    assertThat(McpAttributes.MCP_RESOURCE_URI.getKey()).isEqualTo("mcp.resource.uri");
    assertThat(McpAttributes.JSONRPC_REQUEST_ID.getKey()).isEqualTo("jsonrpc.request.id");
    assertThat(GenAiAttributes.GEN_AI_TOOL_NAME.getKey()).isEqualTo("gen_ai.tool.name");
    assertThat(GenAiAttributes.GEN_AI_PROMPT_NAME.getKey()).isEqualTo("gen_ai.prompt.name");
    assertThat(GenAiAttributes.OPENINFERENCE_SPAN_KIND.getKey()).isEqualTo("openinference.span.kind");
    assertThat(GatewayAttributes.TOOL_NAME.getKey()).isEqualTo("tool.name");
    assertThat(GatewayAttributes.TENANT_ID.getKey()).isEqualTo("tenant.id");
  }
}
