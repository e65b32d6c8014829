package dev.mcpgw.gateway.mcp;

import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;

/**
 * The JSON-RPC errors of a call to an upstream with per-user credentials (ADR 0018). They name the upstream and the
 * endpoint where the caller stores a credential, never a credential's value.
 */
final class CredentialErrors {
  private CredentialErrors() {}

  /** The caller stored no credential for the upstream. */
  static RpcException missing(String upstream, String gatewayId) {
    String endpoint = "/gateways/" + gatewayId + "/credentials/me";
    return new RpcException(RpcException.INVALID_REQUEST, "upstream '" + upstream + "' needs your own credential: "
        + "store it with PUT " + endpoint + " and a body {\"headers\": {\"Authorization\": \"Bearer ...\"}}",
        JsonRpc.MAPPER.createObjectNode().put("upstream", upstream).put("kind", "CREDENTIAL_REQUIRED")
            .put("endpoint", endpoint));
  }

  /** A session with the caller's credential could not be opened (bounds reached, the upstream refused it, down). */
  static RpcException unusable(String upstream) {
    return new RpcException(RpcException.INTERNAL_ERROR, "upstream '" + upstream + "' could not be reached with "
        + "your own credential (it refused it, is down, or you hold too many sessions there)",
        JsonRpc.MAPPER.createObjectNode().put("upstream", upstream).put("kind", "UNAVAILABLE"));
  }
}
