package dev.mcpgw.gateway.transport;

/**
 * A new session refused because a cap is reached: answered 429 with a JSON-RPC error naming the limit and the setting.
 * The caller's existing sessions, and everyone else's, stay as they are.
 */
final class SessionLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The JSON-RPC error code of a refused session (implementation-defined server error). */
  static final int CODE = -32000;

  private final int limit;
  private final String setting;

  SessionLimitException(String message, int limit, String setting) {
    super(message, null, false, false);
    this.limit = limit;
    this.setting = setting;
  }

  static SessionLimitException perUser(String tenantId, String userId, int limit) {
    return new SessionLimitException("too many MCP sessions: user '" + userId + "' of tenant '" + tenantId
        + "' holds " + limit + ", the most allowed at once (MCPGW_SESSIONS_MAX_PER_USER); end one (DELETE) or let one "
        + "expire", limit, "MCPGW_SESSIONS_MAX_PER_USER");
  }

  static SessionLimitException perTenant(String tenantId, int limit) {
    return new SessionLimitException("too many MCP sessions: tenant '" + tenantId + "' holds " + limit
        + ", the most allowed at once (MCPGW_SESSIONS_MAX_PER_TENANT); end one (DELETE) or let one expire", limit,
        "MCPGW_SESSIONS_MAX_PER_TENANT");
  }

  static SessionLimitException total(int limit) {
    return new SessionLimitException("too many MCP sessions: the gateway holds " + limit
        + ", the most allowed at once (MCPGW_MAX_SESSIONS); try again later", limit, "MCPGW_MAX_SESSIONS");
  }

  int limit() {
    return limit;
  }

  String setting() {
    return setting;
  }
}
