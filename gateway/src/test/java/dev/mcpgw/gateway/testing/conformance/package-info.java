/**
 * Proof of transparency with the official MCP conformance suite. {@link
 * dev.mcpgw.gateway.testing.conformance.ConformanceUpstream} is an MCP server written with the MCP Java SDK that
 * implements every tool, resource, resource template, prompt and completion the active server scenarios of
 * {@code @modelcontextprotocol/conformance} call ({@code test_simple_text}, {@code test_tool_with_progress},
 * {@code test_sampling}, {@code test://static-text}, {@code test_prompt_with_arguments}, ...), on 127.0.0.1 over
 * Streamable HTTP and legacy SSE. {@link dev.mcpgw.gateway.testing.conformance.ConformanceSuite} runs the suite's CLI
 * against a URL and reads its results; {@link dev.mcpgw.gateway.testing.conformance.ConformanceDiff} compares two runs
 * check by check and {@link dev.mcpgw.gateway.testing.conformance.ConformanceTable} tabulates them. A filter in front of
 * the upstream's Streamable HTTP endpoint classifies requests as a 2026-07-28-aware server does (stateless traffic
 * versus sessions), so that a client whose requests look stateless by mistake is refused as it would be there.
 */
package dev.mcpgw.gateway.testing.conformance;
