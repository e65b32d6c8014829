/**
 * Data privacy. {@link dev.mcpgw.observability.privacy.SanitizingSpanExporter} sits in front of every exporter and
 * masks sensitive attribute values, event attributes (exception messages and stack traces included) and status
 * descriptions, so no backend ever receives them; {@link dev.mcpgw.observability.privacy.PayloadCapture} is the
 * opt-in way to put request and response payloads on spans, capped and masked the same way.
 */
package dev.mcpgw.observability.privacy;
