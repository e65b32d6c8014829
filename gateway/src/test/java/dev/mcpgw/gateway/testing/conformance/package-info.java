/**
 * The conformance upstream: an MCP server written with the official MCP Java SDK that implements every tool,
 * resource, resource template, prompt and completion the active server scenarios of
 * {@code @modelcontextprotocol/conformance} call ({@code test_simple_text}, {@code test_tool_with_progress},
 * {@code test_sampling}, {@code test://static-text}, {@code test_prompt_with_arguments}, ...), served on 127.0.0.1
 * over Streamable HTTP ({@code /mcp}) and the legacy SSE transport ({@code /sse} + {@code /message}). Tests run the
 * suite against it directly and through the gateway, and compare.
 */
package dev.mcpgw.gateway.testing.conformance;
