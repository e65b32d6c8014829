/**
 * Attribute keys, span names and metric names we emit. MCP and GenAI keys follow the OpenTelemetry MCP semantic
 * conventions (development status, now in the semantic-conventions-genai repository), which the published semconv
 * artifacts do not carry yet, so they live here as our own constants; the gateway's own keys keep their earlier
 * names so the example queries of docs/trace-shape.md work.
 */
package dev.mcpgw.observability.semconv;
