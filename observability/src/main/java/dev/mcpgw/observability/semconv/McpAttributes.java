package dev.mcpgw.observability.semconv;

import io.opentelemetry.api.common.AttributeKey;

/**
 * MCP and JSON-RPC keys of the OpenTelemetry MCP semantic conventions. Span name: {@code {mcp.method.name} {target}}
 * where target is {@code gen_ai.tool.name} or {@code gen_ai.prompt.name} when there is one; SERVER kind on the
 * receiving side, CLIENT towards upstreams.
 */
public final class McpAttributes {

  /** The JSON-RPC method, e.g. {@code tools/call}. */
  public static final AttributeKey<String> MCP_METHOD_NAME = AttributeKey.stringKey("mcp.method.name");
  /** The {@code Mcp-Session-Id} of the session the message belongs to. */
  public static final AttributeKey<String> MCP_SESSION_ID = AttributeKey.stringKey("mcp.session.id");
  /** The negotiated MCP protocol version, e.g. {@code 2025-06-18}. */
  public static final AttributeKey<String> MCP_PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
  /** The resource URI of {@code resources/read}, {@code resources/subscribe} and similar requests. */
  public static final AttributeKey<String> MCP_RESOURCE_URI = AttributeKey.stringKey("mcp.resource.uri");
  /** The JSON-RPC request id, as a string. */
  public static final AttributeKey<String> JSONRPC_REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  /** The JSON-RPC version when not 2.0. */
  public static final AttributeKey<String> JSONRPC_PROTOCOL_VERSION =
      AttributeKey.stringKey("jsonrpc.protocol.version");
  /** The JSON-RPC error code of a failed response, as a string. */
  public static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE =
      AttributeKey.stringKey("rpc.response.status_code");
  /** The class of error: JSON-RPC error code, exception type, or {@code tool_error} for an isError result. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** {@code pipe} for stdio, {@code tcp} for HTTP. */
  public static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");
  /** {@code http} when MCP runs over HTTP. */
  public static final AttributeKey<String> NETWORK_PROTOCOL_NAME = AttributeKey.stringKey("network.protocol.name");
  /** Upstream host of a CLIENT span. */
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  /** Upstream port of a CLIENT span. */
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /** Histogram (seconds) of requests as seen by the sender. */
  public static final String METRIC_CLIENT_OPERATION_DURATION = "mcp.client.operation.duration";
  /** Histogram (seconds) of requests as seen by the receiver. */
  public static final String METRIC_SERVER_OPERATION_DURATION = "mcp.server.operation.duration";
  /** Histogram (seconds) of client session lengths. */
  public static final String METRIC_CLIENT_SESSION_DURATION = "mcp.client.session.duration";
  /** Histogram (seconds) of server session lengths. */
  public static final String METRIC_SERVER_SESSION_DURATION = "mcp.server.session.duration";

  private McpAttributes() {}
}
