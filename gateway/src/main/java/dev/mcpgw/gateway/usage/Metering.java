package dev.mcpgw.gateway.usage;

/**
 * The MCP path's seam to usage accounting and quotas, chosen once when the dispatcher is built: {@link #NONE} accounts
 * nothing and admits everything. {@code mcp} asks {@link #admit} right before a {@code tools/call} is forwarded and
 * hands the finished call to {@link #record}; neither blocks nor throws.
 */
public interface Metering {

  /**
   * Whether a {@code tools/call} of {@code user} of {@code tenant} may go to its upstream now: {@code null} when it
   * may (a {@code calls} quota then counts it), else the quota it would exceed. Never throws.
   */
  QuotaExceeded admit(String tenant, String user);

  /** Hands over a finished call (admitted or not) for accounting, off the request thread. Never blocks or throws. */
  void record(ToolCall call);

  /** Accounts nothing, admits every call. */
  Metering NONE = new Metering() {
    @Override
    public QuotaExceeded admit(String tenant, String user) {
      return null;
    }

    @Override
    public void record(ToolCall call) {}
  };
}
