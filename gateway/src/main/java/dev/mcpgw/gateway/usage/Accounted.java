package dev.mcpgw.gateway.usage;

/**
 * One tool call as accounted, off the request thread: its tokens (estimated for arguments and result, as reported for
 * input and output), the model it is attributed to and its cost. What {@link UsageListener} receives.
 *
 * @param model the calling model the call is attributed to (baggage, the tenant's default or the file's)
 * @param reportedModel the model an upstream reported in the result's {@code _meta}, or {@code null}
 * @param inputTokens input tokens the upstream reported (0 when none)
 * @param outputTokens output tokens the upstream reported (0 when none)
 * @param answered whether the call had a result (false: it ended with a JSON-RPC error, {@code resultTokens} is 0)
 */
public record Accounted(String tenant, String user, String tool, String upstream, String model, boolean ok,
    long durationNanos, long argumentsTokens, long resultTokens, String reportedModel, long inputTokens,
    long outputTokens, double cost, long endedAtMillis, boolean answered) {

  /** Every token the call is charged with: arguments, result and reported usage. */
  public long tokens() {
    return argumentsTokens + resultTokens + inputTokens + outputTokens;
  }
}
