/**
 * How the gateway's log lines are written: human lines or one JSON object per line on stderr, secrets redacted in
 * either, and the same lines as OpenTelemetry log records when a logs exporter is on (docs/operations.md, "Logs").
 */
package dev.mcpgw.gateway.logging;
