/**
 * Data privacy as the gateway sees it: {@link dev.mcpgw.observability.privacy.PayloadCapture} is the opt-in way to
 * put request and response payloads on spans, capped and masked. The masking itself (the sanitiser, which sits in
 * front of every exporter and masks attribute values, event attributes and status descriptions before any backend
 * receives them) lives in {@code dev.mcpgw.observability.internal.privacy}.
 */
package dev.mcpgw.observability.privacy;
