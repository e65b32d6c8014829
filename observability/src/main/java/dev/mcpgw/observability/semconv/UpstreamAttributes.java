package dev.mcpgw.observability.semconv;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Keys and event names of the gateway's outbound side: CLIENT spans towards upstream MCP servers, the
 * {@code gateway.forward} span around them, retries and circuit-breaker transitions. Kept apart from
 * {@link GatewayAttributes}, which holds the inbound names.
 */
public final class UpstreamAttributes {

  /** The registered name of the upstream a CLIENT or {@code gateway.forward} span talks to. */
  public static final AttributeKey<String> UPSTREAM_NAME = AttributeKey.stringKey("mcpgw.upstream.name");
  /** The upstream's transport as registered: {@code streamablehttp}, {@code sse} or {@code stdio}. */
  public static final AttributeKey<String> UPSTREAM_TRANSPORT = AttributeKey.stringKey("mcpgw.upstream.transport");
  /** The upstream's circuit-breaker state when the request ended: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}. */
  public static final AttributeKey<String> CIRCUIT_BREAKER_STATE = AttributeKey.stringKey("mcpgw.circuit_breaker.state");
  /** How many retries a request took (absent when it took none). */
  public static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("mcpgw.retry.count");
  /** The peer a forwarded call goes to (the federated trace uses it for the other gateway). */
  public static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");

  /** Event on a CLIENT span: the previous attempt failed and another one starts now. */
  public static final String EVENT_RETRY = "retry";
  /** The number of the retry (1 for the first). */
  public static final AttributeKey<Long> RETRY_ATTEMPT = AttributeKey.longKey("retry.attempt");
  /** How long the gateway waited between the failed attempt and this one, in milliseconds. */
  public static final AttributeKey<Long> RETRY_BACKOFF_MS = AttributeKey.longKey("retry.backoff_ms");

  /** Event on a CLIENT span: the request moved the upstream's circuit breaker from one state to another. */
  public static final String EVENT_CIRCUIT_BREAKER_STATE_CHANGE = "circuit_breaker.state_change";
  public static final AttributeKey<String> CIRCUIT_BREAKER_FROM = AttributeKey.stringKey("circuit_breaker.from");
  public static final AttributeKey<String> CIRCUIT_BREAKER_TO = AttributeKey.stringKey("circuit_breaker.to");

  /** {@code error.type} of a {@code tools/call} answered with {@code isError: true}. */
  public static final String ERROR_TOOL = "tool_error";
  /** {@code error.type} of a request that got no answer in time. */
  public static final String ERROR_TIMEOUT = "timeout";
  /** {@code error.type} of a request refused by an open circuit breaker. */
  public static final String ERROR_CIRCUIT_OPEN = "circuit_open";
  /** {@code error.type} of a request the upstream could not be reached for. */
  public static final String ERROR_UNAVAILABLE = "unavailable";
  /** {@code error.type} of an answer that is not valid MCP. */
  public static final String ERROR_PROTOCOL = "protocol_error";
  /** {@code error.type} of a request the caller gave up on. */
  public static final String ERROR_CANCELLED = "cancelled";

  private UpstreamAttributes() {}
}
