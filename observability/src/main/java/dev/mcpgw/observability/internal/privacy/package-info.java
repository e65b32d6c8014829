/**
 * The sanitiser. {@link dev.mcpgw.observability.internal.privacy.SanitizingSpanExporter} sits in front of every
 * exporter and masks sensitive attribute values, event attributes (exception messages and stack traces included) and
 * status descriptions, so no backend ever receives them; one pass over each string collects cheap traits that rule
 * out patterns before any regex runs. {@link dev.mcpgw.observability.internal.privacy.SpanPayloadCapture} is payload
 * capture when the operator switched it on.
 *
 * <p>Internal to the observability module: not part of its API. Types here are public only so that other packages
 * of this module can use them; the gateway and bench modules must not import them, and they may change or go away
 * at any time (the same convention as the OpenTelemetry Java SDK's {@code internal} packages).
 */
package dev.mcpgw.observability.internal.privacy;
